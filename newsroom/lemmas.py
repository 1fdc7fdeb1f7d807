"""Russian word forms for the site's search: lemmas, query terms, highlighting and typo
correction (pure Python with pymorphy3, no Django).

Pages are indexed with the lemmas of their words and queries are turned into lemmas too, so
«школа», «школе» and «школы» find the same items on every database (SQLite's full-text search
knows no Russian morphology; PostgreSQL's stemmer then works on the lemmas as well). A word with
several readings («стали»: сталь, стать) is indexed and searched under all of them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache

from newsroom.stylecheck import morph_analyzer

WORD_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
_YO = str.maketrans("ёЁ", "еЕ")
# Words too short to correct: a typo in them is more often another word.
MIN_CORRECTED = 4
CUTOFF = 0.75


def normalise(word: str) -> str:
    return word.lower().translate(_YO)


@lru_cache(maxsize=100_000)
def word_lemmas(word: str) -> frozenset[str]:
    """The lemmas of one word (lower case, ё as е); digits and Latin words stand for themselves."""
    word = normalise(word)
    if not re.search(r"[а-я]", word):
        return frozenset((word,))
    lemmas = {normalise(parse.normal_form) for parse in morph_analyzer().parse(word)}
    return frozenset(lemmas or {word})


def words(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


def lemma_text(*texts: str) -> str:
    """What is indexed: every lemma of every word of ``texts``, each once, in order of first use."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            for lemma in sorted(word_lemmas(word)):
                seen.setdefault(lemma, None)
    return " ".join(seen)


def query_terms(query: str) -> list[frozenset[str]]:
    """One set of lemmas per word of the query (a page must match each word in one of them)."""
    return [word_lemmas(word) for word in words(query)]


def highlight(text: str, terms: Iterable[frozenset[str]]) -> list[tuple[str, bool]]:
    """``text`` cut into segments, each marked True when it is a word matching a query term."""
    wanted = set().union(*terms) if terms else set()
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in WORD_RE.finditer(text or ""):
        if match.start() > position:
            segments.append((text[position : match.start()], False))
        segments.append((match.group(), bool(word_lemmas(match.group()) & wanted)))
        position = match.end()
    if position < len(text or ""):
        segments.append((text[position:], False))
    return segments


def correct(query: str, vocabulary: Iterable[str]) -> str | None:
    """The query with each unknown word of at least four letters replaced by the closest known
    one (typos in titles: «шкала» stays, «шокла» → «школа»); None when nothing changes."""
    known = set(vocabulary)
    corrected, changed = [], False
    for word in words(query):
        lowered = normalise(word)
        if lowered in known or len(lowered) < MIN_CORRECTED:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(lowered, known, n=1, cutoff=CUTOFF)
        if close:
            corrected.append(close[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


def vocabulary(titles: Iterable[str]) -> frozenset[str]:
    """The words of the titles, lower case, as a typo is corrected against them."""
    return frozenset(normalise(word) for title in titles for word in words(title))
