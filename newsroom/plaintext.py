"""Plain text of the site's rich text, for the networks and for the style checker (pure Python,
no Django): the one HTML-to-text converter of the project."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

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
_SOURCE_SPACE = re.compile(r"[ \t\r\n\f]+")  # what HTML itself collapses: no-break spaces stay
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def _collapse(text: str, space: re.Pattern = _SPACE) -> str:
    return space.sub(" ", text).strip()


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
    def __init__(self, base_url: str | None, as_typed: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.as_typed = as_typed
        self.space = _SOURCE_SPACE if as_typed else _SPACE
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
        text = _collapse("".join(self.fragments), self.space)
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
        elif tag == "li" and self.as_typed:
            self.end_paragraph()
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
            if self.lists and not self.as_typed:
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
            self.end_paragraph() if self.as_typed else self.end_line()
        elif tag in _BLOCK_TAGS:
            if self.lists and not self.as_typed:
                self.end_line()
            else:
                self.end_paragraph()
        elif tag in _LINE_TAGS:
            self.end_line()
        elif tag == "a" and self.links:
            href, serial, start = self.links.pop()
            self.close_link(href, serial, start)

    def close_link(self, href: str | None, serial: int, start: int) -> None:
        if not href or self.as_typed:
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
    parser = _TextParser(base_url, as_typed=False)
    parser.feed(html or "")
    parser.close()
    return PARAGRAPH.join("\n".join(lines) for lines in parser.paragraphs)


def strip_html(html: str) -> str:
    """Rich text HTML → the text as its author typed it, for checking the wording.

    Tags are removed and entities unescaped; paragraphs and list items are separated by blank
    lines, ``<br>`` is a line break; no list marks or link addresses are added and no-break
    spaces are kept (a phrase checker must see exactly the words of the text).
    """
    parser = _TextParser(None, as_typed=True)
    parser.feed(html or "")
    parser.close()
    return PARAGRAPH.join("\n".join(lines) for lines in parser.paragraphs)
