"""Is a new message a repeat of an earlier one? Which unit is competent for it? (plain Python)"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

WORD = re.compile(r"[а-яёa-z0-9]+(?:-[а-яёa-z0-9]+)*", re.IGNORECASE)
STOP_WORDS = frozenset(
    "и в во на не что это как а но по к ко с со у о об от до за из для же ли бы то так уже ещё "
    "мы вы они он она оно я ты наш ваш их его её там тут когда где почему кто".split()
)
REPEAT_THRESHOLD = 0.5


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    from newsroom.stylecheck import morph_analyzer

    parses = morph_analyzer().parse(word)
    return parses[0].normal_form if parses else word


def lemmas(text: str) -> frozenset[str]:
    words = (w.lower().replace("ё", "е") for w in WORD.findall(text or ""))
    return frozenset(_lemma(w) for w in words if w not in STOP_WORDS and len(w) > 2)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' lemma sets, 0..1."""
    left, right = lemmas(a), lemmas(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def is_repeat(new_text: str, earlier_text: str, *, same_author: bool) -> bool:
    """Same author writing about the same thing again, or a near-identical text from anyone."""
    score = similarity(new_text, earlier_text)
    return score >= REPEAT_THRESHOLD or (same_author and score >= REPEAT_THRESHOLD / 2)


def competence_score(text: str, keywords: Iterable[str]) -> int:
    """How many of a unit's competence keywords (any word form) the message mentions."""
    words = lemmas(text)
    return sum(1 for keyword in keywords if lemmas(keyword) and lemmas(keyword) <= words)
