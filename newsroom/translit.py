"""Latin slugs from Russian titles (plain Python, no Django).

«В школах района начался ремонт» → ``v-shkolakh-rajona-nachalsya-remont``: a link that reads in
a post and in a message, instead of 300 characters of percent-encoded Cyrillic. The letters follow
the table Wagtail's editor uses for Russian as the editor types a title, so the slug the editor
shows and the one the server makes agree.
"""

from __future__ import annotations

import re
import unicodedata

RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "c", "ч": "ch", "ш": "sh", "щ": "shh",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
MAX_LENGTH = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    """Russian letters in Latin; other letters stripped of their accents; symbols such as «№»
    dropped, as the editor's script drops them."""
    out = []
    for char in text:
        lower = char.lower()
        if lower in RUSSIAN:
            out.append(RUSSIAN[lower])
        elif unicodedata.category(char)[0] in "LN":
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)).lower())
        else:
            out.append(" ")
    return "".join(out)


def latin_slug(text: str, max_length: int = MAX_LENGTH) -> str:
    """A lowercase Latin slug of ``text``, cut at a word boundary; "" when nothing is left."""
    slug = _NOT_SLUG.sub("-", transliterate(text)).strip("-")
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    boundary = cut.rfind("-")
    return (cut[:boundary] if boundary > max_length // 2 else slug[:max_length]).strip("-")


def is_latin(slug: str) -> bool:
    return bool(slug) and slug.isascii()
