"""Plain text for social networks, made from the site's rich text (pure functions, no Django)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsroom.plaintext import html_to_text  # noqa: F401  (re-exported: posts are made from it)

VK_MESSAGE_LIMIT = 15_000
OK_TEXT_LIMIT = 10_000

ELLIPSIS = "…"
MORE_PREFIX = "Подробнее: "
PARAGRAPH = "\n\n"

# --- composing a post -----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…](?=[\s»\"')\]]|$)[»\"')\]]*|\n")
_TRAILING = ".,;:—–- \n\t"
# A body or lead shortened to less than this is left out instead: a stub reads worse than nothing.
MIN_PIECE = 40


def truncate(text: str, limit: int) -> str:
    """``text`` if it fits, else its start cut at a sentence or word boundary plus "…" (≤ limit)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit] if limit > 0 else ""
    room = limit - len(ELLIPSIS)
    head = text[: room + 1]  # one more: a boundary right after the room still counts
    cut = None
    for match in _SENTENCE_END.finditer(head):
        if match.end() <= room and match.end() >= room * 0.6:
            cut = match.end()
    if cut is None:
        spaces = [m.start() for m in re.finditer(r"\s", head) if m.start() <= room]
        if spaces and spaces[-1] >= room * 0.5:
            cut = spaces[-1]
    if cut is None:
        cut = room
    kept = text[:cut].rstrip(_TRAILING)
    if not kept:
        kept = text[:room].rstrip()
    return kept + ELLIPSIS


def hashtag_words(tags: Iterable[str]) -> list[str]:
    """Tags as words a network recognises: without «#», inner spaces and signs as «_», each once."""
    words: list[str] = []
    for tag in tags:
        word = re.sub(r"[^\w]+", "_", str(tag).strip().lstrip("#"), flags=re.UNICODE).strip("_")
        if word and word not in words:
            words.append(word)
    return words


def _hashtag_line(hashtags: Iterable[str]) -> str:
    return " ".join(f"#{word}" for word in hashtag_words(hashtags))


def _join(*parts: str) -> str:
    return PARAGRAPH.join(part for part in parts if part)


def compose_post(
    *,
    title: str,
    lead: str,
    body: str,
    url: str,
    limit: int,
    hashtags: Iterable[str] = (),
) -> str:
    """``Title\\n\\nLead\\n\\nBody\\n\\n#tags\\n\\nПодробнее: <url>``, at most ``limit`` characters.

    When too long, the body is cut (at a sentence or word boundary, with "…"), then left out, then
    the hashtags are dropped, then the lead is cut, then the title. The link line is always kept
    whole; the title is kept, shortened only when nothing else is left to cut.
    """
    title, lead, body = title.strip(), lead.strip(), body.strip()
    link = f"{MORE_PREFIX}{url.strip()}" if url and url.strip() else ""
    tags = _hashtag_line(hashtags)
    if len(link) > limit:
        raise ValueError(f"the link line alone is longer than the limit of {limit} characters")

    text = _join(title, lead, body, tags, link)
    if len(text) <= limit:
        return text

    def room_for(*others: str) -> int:
        # Characters left for one more piece between the others (with its separator).
        fixed = _join(*others)
        return limit - len(fixed) - (len(PARAGRAPH) if fixed else 0)

    if body:
        room = room_for(title, lead, tags, link)
        if room >= MIN_PIECE:
            return _join(title, lead, truncate(body, room), tags, link)
    for candidate in (_join(title, lead, tags, link), _join(title, lead, link)):
        if len(candidate) <= limit:
            return candidate
    if lead:
        room = room_for(title, link)
        if room >= MIN_PIECE:
            return _join(title, truncate(lead, room), link)
    if len(_join(title, link)) <= limit:
        return _join(title, link)
    room = room_for(link)
    if room <= 0:
        return link
    return _join(truncate(title, room), link)
