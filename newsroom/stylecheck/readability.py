"""Readability of a Russian text: sentences, words, syllables and the Flesch reading ease
adapted to Russian (Oborneva's coefficients), with a plain label for the editor."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .words import _LETTER_RE, _WORD_CHARS, _WORD_RE

__all__ = ["Readability", "readability"]


@dataclass(frozen=True)
class Readability:
    """Flesch reading ease adapted for Russian by Oborneva, with the figures behind it."""

    score: float
    words: int
    sentences: int
    avg_sentence_words: float
    avg_word_syllables: float
    long_sentences: int
    label: str


_VOWELS = frozenset("аеёиоуыэюяaeiouy")
LONG_SENTENCE_WORDS = 25

# (lower bound of the score, verdict), checked from the top.
READABILITY_LABELS: tuple[tuple[float, str], ...] = (
    (80.0, "очень легко"),
    (60.0, "легко"),
    (40.0, "средне"),
    (20.0, "трудно"),
    (float("-inf"), "очень трудно"),
)
NO_TEXT_LABEL = "нет текста"

# Abbreviations after which a period never ends a sentence: a name or a number follows.
_ABBREVIATIONS_INNER = frozenset(
    """ул пр просп пер пл наб ш б-р бул корп стр кв обл р-н пос пгт дер ст-ца мкр им
    т.е т.к т.н т.ч т.о напр см ср рис табл тел каб эт оф ок св акад проф доц канд зам нач
    ген гл ред рук тов г-н г-жа и.о врио п пп абз гр""".split()
)
# Units after which a period may end a sentence when the next word is capitalised.
_ABBREVIATIONS_FINAL = frozenset(
    "т.д т.п др руб коп тыс млн млрд чел шт ед кг км га мин сек".split()
)
# Ambiguous: «г.» is «город» before a name, «год» after a number («в 2024 г.»).
_ABBREVIATIONS_AFTER_NUMBER = frozenset("г гг м ч л д".split())

_TERMINATOR_RE = re.compile(r"[.!?…]+[»\"”’)\]]*|\n")
_CHUNK_BEFORE_RE = re.compile(rf"([{_WORD_CHARS}.\-]+)$")
_NUMBER_BEFORE_RE = re.compile(r"\d[\d\s.,]*$")


def _syllables(word: str) -> int:
    return sum(1 for ch in word.lower() if ch in _VOWELS)


def _next_letter(text: str, pos: int) -> str:
    for ch in text[pos : pos + 40]:
        if ch.isalnum():
            return ch
    return ""


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    if match.group() == "\n":
        return True
    end = match.end()
    if end < len(text) and not text[end].isspace():
        return False
    following = _next_letter(text, end)
    if following.islower():
        return False
    if match.group().rstrip('»"”’)]') != ".":
        return True
    start = match.start()
    chunk_match = _CHUNK_BEFORE_RE.search(text, max(0, start - 30), start)
    if chunk_match is None:
        return True
    chunk = chunk_match.group(1).lstrip(".-").lower()
    last = chunk.rsplit(".", 1)[-1]
    raw_last = chunk_match.group(1).rsplit(".", 1)[-1]
    if len(raw_last) == 1 and raw_last.isupper() and raw_last.isalpha():
        return False  # an initial: «И. И. Иванов», «А.С. Пушкин»
    if chunk in _ABBREVIATIONS_INNER or last in _ABBREVIATIONS_INNER:
        return False
    if chunk in _ABBREVIATIONS_FINAL or last in _ABBREVIATIONS_FINAL:
        return not following.isdigit()
    if last in _ABBREVIATIONS_AFTER_NUMBER:
        before = text[max(0, chunk_match.start() - 20) : chunk_match.start()]
        return bool(_NUMBER_BEFORE_RE.search(before)) and not following.isdigit()
    return True


def _sentence_ends(text: str) -> list[int]:
    return [m.end() for m in _TERMINATOR_RE.finditer(text) if _is_boundary(text, m)]


def _label(score: float) -> str:
    for lower, label in READABILITY_LABELS:
        if score >= lower:
            return label
    return READABILITY_LABELS[-1][1]


def readability(text: str) -> Readability:
    """Oborneva's reading ease (206.835 − 1.3·ASL − 60.1·ASW), clamped to 0..100.

    Words are tokens with at least one letter (bare numbers are skipped); syllables are vowels.
    Sentences end at . ! ? … and at line breaks, not after initials and common abbreviations.
    """
    words = [m for m in _WORD_RE.finditer(text or "") if _LETTER_RE.search(m.group())]
    if not words:
        return Readability(
            score=0.0,
            words=0,
            sentences=0,
            avg_sentence_words=0.0,
            avg_word_syllables=0.0,
            long_sentences=0,
            label=NO_TEXT_LABEL,
        )
    ends = _sentence_ends(text)
    per_sentence: dict[int, int] = {}
    for m in words:
        index = bisect_right(ends, m.start())
        per_sentence[index] = per_sentence.get(index, 0) + 1
    sentences = len(per_sentence)
    syllables = sum(_syllables(m.group()) for m in words)
    asl = len(words) / sentences
    asw = syllables / len(words)
    score = round(min(100.0, max(0.0, 206.835 - 1.3 * asl - 60.1 * asw)), 1)
    return Readability(
        score=score,
        words=len(words),
        sentences=sentences,
        avg_sentence_words=asl,
        avg_word_syllables=asw,
        long_sentences=sum(1 for n in per_sentence.values() if n > LONG_SENTENCE_WORDS),
        label=_label(score),
    )
