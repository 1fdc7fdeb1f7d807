"""How a post looks in each network: its limits, its fold, its photos and its link (pure Python).

The same function makes the text that is sent and the editor's preview of it, so what the editor
sees is what goes out. The limits are the networks' documented ones (see docs/contracts/ and
docs/crossposting.md); the fold — where a feed hides the rest behind «Показать ещё» — is how the
feeds show a post today, not a contract, and only the preview uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from social_sync import text as social_text


@dataclass(frozen=True)
class NetworkFormat:
    network: str
    label: str
    #: Characters of a post's text.
    limit: int
    #: Characters of the text when it goes with photos (Telegram's caption), if it differs.
    caption_limit: int | None
    max_photos: int
    #: About how many characters a feed shows before hiding the rest; None: it shows all.
    fold: int | None
    more_label: str
    #: A link without photos is shown as a card with the page's picture and title.
    link_card: bool

    def text_limit(self, photos: int) -> int:
        if photos and self.caption_limit is not None:
            return self.caption_limit
        return self.limit


FORMATS = {
    "vk": NetworkFormat(
        "vk", "ВКонтакте", social_text.VK_MESSAGE_LIMIT, None, 10, 300, "Показать ещё", True
    ),
    "ok": NetworkFormat(
        "ok", "Одноклассники", social_text.OK_TEXT_LIMIT, None, 10, 250, "Ещё", True
    ),
    # Bot API: a message's text up to 4096 characters, a photo's (an album's) caption up to 1024.
    "telegram": NetworkFormat("telegram", "Telegram", 4096, 1024, 10, None, "", True),
    # MAX Bot API: a message's text up to 4000 characters, with or without attachments.
    "max": NetworkFormat("max", "MAX", 4000, None, 10, None, "", True),
}


def hashtags_of(value: str | Iterable[str]) -> tuple[str, ...]:
    """The editor's hashtags (separated by spaces, commas or semicolons; «#» optional), as
    words a network recognises as tags: inner spaces become «_», duplicates go."""
    raw = re.split(r"[,;\s]+", value) if isinstance(value, str) else list(value)
    return tuple(social_text.hashtag_words(raw))


@dataclass(frozen=True)
class PostPreview:
    network: str
    label: str
    text: str
    limit: int
    #: The text the editor wrote did not fit and was shortened.
    truncated: bool
    #: Where the feed hides the rest («Показать ещё»), or None when the whole text shows.
    fold_at: int | None
    more_label: str
    photos: int
    #: Photos chosen beyond what the network takes in one post.
    photos_left_out: int
    #: The link back shows as a card (no photos in the post).
    link_card: bool

    @property
    def length(self) -> int:
        return len(self.text)

    @property
    def visible(self) -> str:
        return self.text if self.fold_at is None else self.text[: self.fold_at]

    @property
    def hidden(self) -> str:
        return "" if self.fold_at is None else self.text[self.fold_at :]


def _fold_at(text: str, fold: int | None) -> int | None:
    if fold is None or len(text) <= fold:
        return None
    cut = text.rfind(" ", 0, fold)
    return cut if cut > fold // 2 else fold


def render(
    network: str,
    *,
    text: str,
    url: str,
    title: str = "",
    hashtags: Iterable[str] = (),
    photos: int = 0,
) -> PostPreview:
    """The post of ``network``: ``title`` (when given), ``text``, the hashtags and the link back,
    shortened to the network's limit (the text first, whole sentences where it can)."""
    form = FORMATS[network]
    shown_photos = min(photos, form.max_photos)
    limit = form.text_limit(shown_photos)
    tags = tuple(hashtags)
    composed = social_text.compose_post(
        title=title, lead=text, body="", url=url, limit=limit, hashtags=tags
    )
    whole = social_text.compose_post(
        title=title, lead=text, body="", url=url, limit=10**9, hashtags=tags
    )
    return PostPreview(
        network=network,
        label=form.label,
        text=composed,
        limit=limit,
        truncated=composed != whole,
        fold_at=_fold_at(composed, form.fold),
        more_label=form.more_label,
        photos=shown_photos,
        photos_left_out=max(0, photos - form.max_photos),
        link_card=form.link_card and shown_photos == 0 and bool(url),
    )
