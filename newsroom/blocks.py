from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Изображение"))
    caption = blocks.CharBlock(label=_("Подпись"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Изображение")
        template = "components/streamfield/blocks/image_block.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Заголовок галереи"), required=False, max_length=255)
    images = blocks.ListBlock(CaptionedImageBlock(), label=_("Изображения"), min_num=1)

    class Meta:
        icon = "image"
        label = _("Галерея")
        template = "components/streamfield/blocks/gallery_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Цитата"))
    author = blocks.CharBlock(label=_("Автор"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = _("Цитата")
        template = "components/streamfield/blocks/quote_block.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("Ссылка на видео"), help_text=_("Например, ссылка на VK Видео или RUTUBE.")
    )
    caption = blocks.CharBlock(label=_("Подпись"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Видео")
        template = "components/streamfield/blocks/video_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Документ"))
    title = blocks.CharBlock(label=_("Название ссылки"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = _("Документ")
        template = "components/streamfield/blocks/document_block.html"


class NewsBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Текст"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        template="components/streamfield/blocks/paragraph_block.html",
    )
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    document = DocumentBlock()

    class Meta:
        label = _("Текст материала")
