"""Plain text for social networks, made from the site's rich text (pure functions, no Django)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin

VK_MESSAGE_LIMIT = 15_000
OK_TEXT_LIMIT = 10_000

ELLIPSIS = "…"
MORE_PREFIX = "Подробнее: "
PARAGRAPH = "\n\n"

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure",
        "figcaption", "table", "section", "article", "header", "footer", "aside", "address",
        "dl", "hr",
    }
)  # fmt: skip
_LINE_TAGS = frozenset({"tr", "dt", "dd"})
_SKIP_TAGS = frozenset({"script", "style", "template", "head", "title", "noscript"})
_VOID_TAGS = frozenset({"br", "hr", "img", "embed", "input", "meta", "link", "source", "wbr"})
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _same_link(text: str, href: str) -> bool:
    def bare(value: str) -> str:
        value = value.strip().lower()
        for scheme in ("https://", "http://", "mailto:", "tel:"):
            if value.startswith(scheme):
                value = value[len(scheme) :]
        if value.startswith("www."):
            value = value[4:]
        return value.rstrip("/")

    return bare(text) == bare(href)


class _TextParser(HTMLParser):
    def __init__(self, base_url: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.paragraphs: list[list[str]] = []
        self.lines: list[str] = []
        self.fragments: list[str] = []
        self.prefix = ""
        self.skip_depth = 0
        self.lists: list[list] = []  # [tag, next number]
        self.links: list[tuple[str | None, int, int]] = []  # href, line serial, fragment index
        self.line_serial = 0

    # Structure ------------------------------------------------------------------------------------

    def end_line(self, keep_empty: bool = False) -> None:
        text = _collapse("".join(self.fragments))
        if text:
            self.lines.append(self.prefix + text)
        elif keep_empty and self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.fragments = []
        self.prefix = ""
        self.line_serial += 1

    def end_paragraph(self) -> None:
        self.end_line()
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        if self.lines:
            self.paragraphs.append(self.lines)
        self.lines = []

    # Parser callbacks -----------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "br":
            self.end_line(keep_empty=True)
        elif tag in ("ul", "ol"):
            if not self.lists:
                self.end_paragraph()
            else:
                self.end_line()
            self.lists.append([tag, 1])
        elif tag == "li":
            self.end_line()
            depth = max(len(self.lists), 1)
            indent = "  " * (depth - 1)
            if self.lists and self.lists[-1][0] == "ol":
                self.prefix = f"{indent}{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            else:
                self.prefix = f"{indent}— "
        elif tag in _BLOCK_TAGS:
            if self.lists:
                self.end_line()
            else:
                self.end_paragraph()
        elif tag in _LINE_TAGS:
            self.end_line()
        elif tag in ("td", "th"):
            self.fragments.append(" ")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.links.append((href, self.line_serial, len(self.fragments)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(self.skip_depth - 1, 0)
            return
        if self.skip_depth:
            return
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            if self.lists:
                self.end_line()
            else:
                self.end_paragraph()
        elif tag == "li":
            self.end_line()
        elif tag in _BLOCK_TAGS:
            if self.lists:
                self.end_line()
            else:
                self.end_paragraph()
        elif tag in _LINE_TAGS:
            self.end_line()
        elif tag == "a" and self.links:
            href, serial, start = self.links.pop()
            self.close_link(href, serial, start)

    def close_link(self, href: str | None, serial: int, start: int) -> None:
        if not href:
            return
        href = href.strip()
        if self.base_url and not re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            href = urljoin(self.base_url, href)
        if not re.match(r"^https?://", href, re.I):
            return  # relative, anchors, mailto:, tel: — the text says enough
        text = _collapse(
            "".join(self.fragments[start:] if serial == self.line_serial else self.fragments)
        )
        if not text:
            self.fragments.append(f" {href} ")
        elif not _same_link(text, href):
            self.fragments.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.fragments.append(_CONTROL.sub("", data))

    def close(self) -> None:
        super().close()
        self.end_paragraph()


def html_to_text(html: str, *, base_url: str | None = None) -> str:
    """Rich text HTML → plain text.

    Paragraphs are separated by blank lines, ``<br>`` becomes a line break, list items become
    "— item" ("1. item" in ordered lists), links keep their text and add the address in parentheses
    when it is absolute (or made absolute with ``base_url``) and differs from the text. Entities are
    unescaped and whitespace (including no-break spaces) is collapsed.
    """
    parser = _TextParser(base_url)
    parser.feed(html or "")
    parser.close()
    return PARAGRAPH.join("\n".join(lines) for lines in parser.paragraphs)


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


def _hashtag_line(hashtags: Iterable[str]) -> str:
    tags = []
    for tag in hashtags:
        word = re.sub(r"[^\w]+", "_", str(tag).strip().lstrip("#"), flags=re.UNICODE).strip("_")
        if word and f"#{word}" not in tags:
            tags.append(f"#{word}")
    return " ".join(tags)


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
