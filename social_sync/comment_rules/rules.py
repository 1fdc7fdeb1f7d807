"""The checks themselves: ``check(text, ...)`` lists what a comment breaks, one finding per rule."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from . import lexicon
from .normalize import undisguise, words

OBSCENITY = "obscenity"
INSULT = "insult"
THREAT = "threat"
SPAM = "spam"
STOP_WORD = "stop_word"
RULES = (OBSCENITY, INSULT, THREAT, SPAM, STOP_WORD)

# How many copies of one text, and how many comments of one author in a short while, make spam.
SAME_TEXT_LIMIT = 3
AUTHOR_BURST_LIMIT = 5


@dataclass(frozen=True)
class Finding:
    rule: str
    evidence: str  # what was found, shown to the moderator


@dataclass(frozen=True)
class SpamContext:
    """What the service knows beyond the text: copies of it and the author's recent pace."""

    same_text_count: int = 1  # this comment included
    author_recent_count: int = 1  # comments of the author in the last few minutes, this included
    own_hosts: tuple[str, ...] = field(default_factory=tuple)  # links there are not spam


@functools.cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=20_000)
def _parses(word: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """(lemma, part of speech, person) of each reading of a word."""
    return tuple(
        (p.normal_form.replace("ё", "е"), p.tag.POS, p.tag.person) for p in _morph().parse(word)
    )


def _lemmas(word: str) -> set[str]:
    return {lemma for lemma, _pos, _person in _parses(word)}


def _normal(word: str) -> str:
    return word.replace("ё", "е")


_INSULTS = frozenset(_normal(w) for w in lexicon.INSULTS)
_THREAT_VERBS = frozenset(_normal(w) for w in lexicon.THREAT_VERBS)


def obscenity(tokens: list[str], masked: list[str]) -> str | None:
    for word in tokens:
        if any(pattern.search(word) for pattern in lexicon.OBSCENE):
            return word
    # «с*ка», «п@здец» with the star for a letter: try the vowels in its place.
    for word in masked:
        for vowel in MASK_LETTERS:
            candidate = undisguise(word.replace("*", vowel))
            if any(pattern.search(candidate) for pattern in lexicon.OBSCENE):
                return word
    return None


MASK_LETTERS = "уиеаоыяю"
MASKED = re.compile(r"\w+\*+\w*|\*+\w+")


def insult(tokens: list[str]) -> str | None:
    for word in tokens:
        if len(word) > 2 and _lemmas(word) & _INSULTS:
            return word
    return None


def threat(tokens: list[str], plain: str) -> str | None:
    for phrase in lexicon.THREAT_PHRASES:
        if phrase in plain:
            return phrase
    for i, word in enumerate(tokens):
        for lemma, pos, person in _parses(word):
            if lemma not in _THREAT_VERBS:
                continue
            if i + 1 < len(tokens) and tokens[i + 1] == "время":  # «убить время»
                continue
            if pos == "VERB" and person == "1per":
                return word
            if pos == "INFN" and any(t in lexicon.THREAT_URGING for t in tokens[max(0, i - 3) : i]):
                return word
    return None


def spam(text: str, plain: str, context: SpamContext) -> str | None:
    for match in lexicon.LINK.finditer(text):
        link = match.group(0).lower()
        if not any(host and host.lower() in link for host in context.own_hosts):
            return match.group(0)
    for phrase in lexicon.SPAM_PHRASES:
        if phrase in plain:
            return phrase
    if context.same_text_count >= SAME_TEXT_LIMIT:
        return f"один и тот же текст {context.same_text_count} раз"
    if context.author_recent_count >= AUTHOR_BURST_LIMIT:
        return f"{context.author_recent_count} комментариев автора подряд за несколько минут"
    return None


def stop_word(tokens: list[str], plain: str, stop_words: tuple[str, ...]) -> str | None:
    """An entry of the account's list: a phrase (found in the text), a word (any of its forms),
    or a beginning ending with «*»."""
    for entry in stop_words:
        entry = undisguise(entry.strip())
        if not entry:
            continue
        if " " in entry:
            if entry in plain:
                return entry
        elif entry.endswith("*"):
            if any(word.startswith(entry[:-1]) for word in tokens):
                return entry
        else:
            wanted = _lemmas(entry) | {entry}
            for word in tokens:
                if word == entry or _lemmas(word) & wanted:
                    return word
    return None


def check(
    text: str, *, stop_words: tuple[str, ...] = (), context: SpamContext | None = None
) -> list[Finding]:
    """Everything the comment breaks, each rule at most once, in the order of ``RULES``."""
    context = context or SpamContext()
    plain = undisguise(text or "")
    tokens = words(plain)
    # «пи-зд», «х-у-й»: obscenities are also looked for with hyphens taken out.
    glued = [w for w in words(plain.replace("-", "")) if w not in tokens]
    found = {
        OBSCENITY: obscenity(tokens + glued, MASKED.findall((text or "").lower())),
        INSULT: insult(tokens),
        THREAT: threat(tokens, plain),
        SPAM: spam(text or "", plain, context),
        STOP_WORD: stop_word(tokens, plain, tuple(stop_words)),
    }
    return [Finding(rule, evidence) for rule, evidence in found.items() if evidence]
