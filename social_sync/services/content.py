"""What a published page becomes in a social network: text, link back and images."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import formats, timezone

from social_sync import post_format

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
    """What a page says in the networks: the editor's social text (or, without one, the title
    and the lead), its per-network versions, the hashtags, the link back and the images."""

    title: str
    text: str
    url: str
    images: tuple[PostImage, ...]
    hashtags: tuple[str, ...] = ()
    #: network → the editor's own text for it.
    overrides: dict = field(default_factory=dict, compare=False)
    #: The title goes first only when the post is made of the title and the lead.
    with_title: bool = True

    def preview_for(self, network, photos=None):
        text = self.overrides.get(network) or self.text
        own_text = bool(self.overrides.get(network))
        return post_format.render(
            network,
            title=self.title if self.with_title and not own_text else "",
            text=text,
            url=self.url,
            hashtags=self.hashtags,
            photos=len(self.images) if photos is None else photos,
        )

    def text_for(self, network, photos=None):
        """The post's text in ``network``; ``photos`` stands for the number of photos the post
        actually carries where it differs from the page's (some were refused)."""
        return self.preview_for(network, photos).text

    @property
    def image_key(self):
        """Changes when the set of images changes (edits re-upload only then)."""
        ids = ",".join(str(image.image_id) for image in self.images)
        return hashlib.sha256(ids.encode()).hexdigest()[:16]


def _news_parts(page):
    images = [page.main_image] if page.main_image_id else []
    for block in page.body:
        if block.block_type == "image":
            images.append(block.value["image"])
        elif block.block_type == "gallery":
            images.extend(item["image"] for item in block.value["images"])
    return page.title, page.lead, images


def _event_parts(page):
    start = timezone.localtime(page.start)
    when = formats.date_format(start, "j E Y, H:i")
    lead = f"{when}, {page.place}" if page.place else when
    images = [page.main_image] if page.main_image_id else []
    return f"Анонс: {page.title}", lead, images


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


def _chosen_images(page, images):
    choice = getattr(page, "social_images", "all")
    if choice == "none":
        return []
    if choice == "main":
        return [page.main_image] if page.main_image_id else []
    return images


def build_content(page, url=None, with_images=True):
    """What ``page`` (a NewsPage or an EventPage, specific) says in the networks. ``url``
    stands for the page's address where it has none yet (the preview of a new page); without
    ``with_images`` no rendition is made (the text alone is wanted)."""
    if hasattr(page, "body"):
        title, lead, images = _news_parts(page)
    else:
        title, lead, images = _event_parts(page)
    own_text = (getattr(page, "social_text", "") or "").strip()
    networks = post_format.FORMATS
    overrides = {
        network: page.social_override(network)
        for network in networks
        if hasattr(page, "social_override") and page.social_override(network)
    }
    return PostContent(
        title=title,
        text=own_text or (lead or "").strip(),
        url=url if url is not None else page.get_full_url(),
        images=tuple(post_images_of(_chosen_images(page, images))) if with_images else (),
        hashtags=post_format.hashtags_of(getattr(page, "social_hashtags", "") or ""),
        overrides=overrides,
        with_title=not own_text,
    )
