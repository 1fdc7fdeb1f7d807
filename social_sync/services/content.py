"""What a published page becomes in a social network: text, link back and images."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import formats, timezone

from social_sync import text as social_text
from social_sync.models import Network

MAX_IMAGES = 10  # VK and OK both take at most ten media items in a post


@dataclass(frozen=True)
class PostImage:
    image_id: int
    filename: str
    content_type: str
    url: str
    rendition: object = field(repr=False, compare=False)
    title: str = ""

    def read(self):
        try:
            with self.rendition.file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            # The rendition's file was lost (a cleaned media folder): make it again.
            image = self.rendition.image
            self.rendition.delete()
            rendition = image.get_rendition(settings.SOCIAL_IMAGE_FILTER)
            with rendition.file.open("rb") as handle:
                return handle.read()


@dataclass(frozen=True)
class PostContent:
    title: str
    lead: str
    body: str
    url: str
    images: tuple[PostImage, ...]

    def text_for(self, network):
        limit = social_text.VK_MESSAGE_LIMIT if network == Network.VK else social_text.OK_TEXT_LIMIT
        return social_text.compose_post(
            title=self.title, lead=self.lead, body=self.body, url=self.url, limit=limit
        )

    @property
    def image_key(self):
        """Changes when the set of images changes (edits re-upload only then)."""
        ids = ",".join(str(image.image_id) for image in self.images)
        return hashlib.sha256(ids.encode()).hexdigest()[:16]


def _news_parts(page):
    paragraphs, images = [], []
    if page.main_image_id:
        images.append(page.main_image)
    for block in page.body:
        if block.block_type == "paragraph":
            paragraphs.append(social_text.html_to_text(block.value.source))
        elif block.block_type == "quote":
            author = block.value.get("author")
            quote = f"«{block.value['text']}»"
            paragraphs.append(f"{quote} — {author}" if author else quote)
        elif block.block_type == "image":
            images.append(block.value["image"])
        elif block.block_type == "gallery":
            images.extend(item["image"] for item in block.value["images"])
    return page.lead, "\n\n".join(p for p in paragraphs if p), images


def _event_parts(page):
    start = timezone.localtime(page.start)
    when = formats.date_format(start, "j E Y, H:i")
    lead = f"{when}, {page.place}"
    body = social_text.html_to_text(page.description or "")
    if page.participants:
        body = f"{body}\n\nУчастники: {page.participants}".strip()
    images = [page.main_image] if page.main_image_id else []
    return lead, body, images


def post_images_of(images):
    """The images as they are uploaded to a network: each once, at most ten, JPEG renditions."""
    seen, post_images = set(), []
    for image in images:
        if image is None or image.pk in seen or len(post_images) == MAX_IMAGES:
            continue
        seen.add(image.pk)
        rendition = image.get_rendition(settings.SOCIAL_IMAGE_FILTER)
        post_images.append(
            PostImage(
                image_id=image.pk,
                filename=f"image-{image.pk}.jpg",
                content_type="image/jpeg",
                url=rendition.url,
                rendition=rendition,
                title=image.title,
            )
        )
    return post_images


def reply_images(answer):
    """The photos attached to an answer, to go with its reply."""
    if answer is None:
        return []
    return post_images_of(item.image for item in answer.attachments.all() if item.image_id)


def build_content(page):
    """The text parts and images of ``page`` (a NewsPage or an EventPage, specific)."""
    if hasattr(page, "body"):
        lead, body, images = _news_parts(page)
        title = page.title
    else:
        lead, body, images = _event_parts(page)
        title = f"Анонс: {page.title}"
    post_images = post_images_of(images)
    return PostContent(
        title=title,
        lead=lead or "",
        body=body or "",
        url=page.get_full_url(),
        images=tuple(post_images),
    )
