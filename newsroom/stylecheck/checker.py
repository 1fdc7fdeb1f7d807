"""Style check for Russian news text: bureaucratese, press-release clichés and readability.

The regulation behind it: news in the official accounts is written in conversational written
language, without the press-release format and without bureaucratese (канцеляризмы).

Plain Python on purpose (no Django): phrases are matched on lemmas, so one dictionary entry such
as «осуществлять деятельность» finds «осуществляли деятельностью» and «осуществлявшие
деятельность» as well.

Two words get extra care to avoid false positives:

* «данный» is reported only as a determiner: the word must have an adjective/participle reading
  (ADJF/PRTF) and be followed — with at most two agreeing adjectives in between — by a noun that
  agrees with it in case, number, gender (in the singular) and animacy (in the accusative).
  The plural forms «данные», «данных», «данным», «данными» are also forms of the noun «данные»
  (data), so for them the checker additionally steps back when the word before is an agreeing
  adjective («персональные данные», «эти данные») or when the following noun could be a genitive
  complement of «данные» (it has a genitive reading other than the agreeing one, or it is
  animate: «данные переписи», «данных заявителей»). This misses some real determiners
  («данные мероприятия») in favour of not flagging the word «данные» meaning data.
* «является» (lemma «являться») matches only verb readings (VERB, INFN, PRTF, PRTS, GRND).
  «согласно» matches only as a preposition followed by a word in the dative.

These rules follow the lemma, so they apply to phrases from any phrase list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import pymorphy3

from newsroom.plaintext import strip_html  # noqa: F401  (part of the public API)

from .phrases import PHRASES
from .readability import Readability, readability
from .words import _LETTER_RE, _WORD_CHARS, _WORD_RE  # noqa: F401

__all__ = [
    "Finding",
    "Phrase",
    "Report",
    "StyleChecker",
    "default_phrases",
    "strip_html",
]


@dataclass(frozen=True)
class Phrase:
    """A phrase to look for (in dictionary form), a plainer alternative and an explanation."""

    text: str
    suggestion: str
    comment: str = ""


@dataclass(frozen=True)
class Finding:
    """One occurrence of a phrase in one field."""

    phrase: str
    suggestion: str
    comment: str
    field: str
    start: int
    end: int
    matched: str


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    readability: Readability
    #: Press-release grammar (``grammar.Hint``): passives, verbal nouns, openings, clichés,
    #: genitive chains, long sentences, each with its severity.
    hints: tuple = ()

    @property
    def high_hints(self):
        return tuple(hint for hint in self.hints if hint.is_high)


# --- words and lemmas -------------------------------------------------------------------------

_NORMALISE_TABLE = str.maketrans(
    {"ё": "е", "\u0301": None, "\u00ad": None, "\u2010": "-", "\u2011": "-"}
)

_CASE_ALIASES = {
    "gen1": "gent",
    "gen2": "gent",
    "acc2": "accs",
    "loc1": "loct",
    "loc2": "loct",
    "voct": "nomn",
}

_morph: pymorphy3.MorphAnalyzer | None = None
_morph_lock = threading.Lock()


def _analyzer() -> pymorphy3.MorphAnalyzer:
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                _morph = pymorphy3.MorphAnalyzer()
    return _morph


class _Parse(NamedTuple):
    lemma: str
    pos: str | None
    case: str | None
    number: str | None
    gender: str | None
    animacy: str | None


class _Word(NamedTuple):
    lemmas: frozenset[str]
    parses: tuple[_Parse, ...]


class _Token(NamedTuple):
    start: int
    end: int
    word: _Word


def morph_analyzer() -> pymorphy3.MorphAnalyzer:
    """The process-wide Russian morphological analyser (other text checks share it)."""
    return _analyzer()


def _normalise(word: str) -> str:
    return word.lower().translate(_NORMALISE_TABLE)


@lru_cache(maxsize=200_000)
def _analyse(word: str) -> _Word:
    """All readings of a normalised word; lemmas are normalised the same way (ё → е)."""
    if word.isdigit():
        return _Word(frozenset((word,)), ())
    parses = tuple(
        _Parse(
            lemma=_normalise(p.normal_form),
            pos=p.tag.POS,
            case=_CASE_ALIASES.get(p.tag.case, p.tag.case),
            number=p.tag.number,
            gender=p.tag.gender,
            animacy=p.tag.animacy,
        )
        for p in _analyzer().parse(word)
    )
    lemmas = frozenset(p.lemma for p in parses) or frozenset((word,))
    return _Word(lemmas, parses)


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.start(), m.end(), _analyse(_normalise(m.group()))) for m in _WORD_RE.finditer(text)
    ]


def _phrase_lemma(word: str) -> str:
    """The lemma a phrase word stands for: the word itself if it is a dictionary form, otherwise
    its most probable normal form («средства» → «средство», «прошло» → «пройти»)."""
    norm = _normalise(word)
    info = _analyse(norm)
    if norm in info.lemmas or not info.parses:
        return norm
    return info.parses[0].lemma


# --- special rules ----------------------------------------------------------------------------

_VERB_POS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})
_ADJECTIVAL_POS = frozenset({"ADJF", "PRTF"})

# A phrase word with one of these lemmas matches only a text word that has a reading with this
# lemma and one of these parts of speech.
_POS_CONSTRAINTS: dict[str, frozenset[str]] = {
    "данный": _ADJECTIVAL_POS,
    "являться": _VERB_POS,
    "согласно": frozenset({"PREP"}),
}


def _agree(adj: _Parse, noun: _Parse) -> bool:
    if adj.case is None or adj.case != noun.case or adj.number != noun.number:
        return False
    if (
        adj.number == "sing"
        and noun.gender in {"masc", "femn", "neut"}
        and adj.gender != noun.gender
    ):
        return False
    if adj.case == "accs" and adj.animacy and noun.animacy and adj.animacy != noun.animacy:
        return False
    return True


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    return not text[left.end : right.start].strip()


def _determiner_context(text: str, tokens: list[_Token], i: int) -> bool:
    """Whether the «данный» word at ``tokens[i]`` is the determiner «данный» (see module doc)."""
    word = tokens[i].word
    dets = [p for p in word.parses if p.pos in _ADJECTIVAL_POS and p.lemma in {"данный", "дать"}]
    if not dets:
        return False
    data_nouns = [p for p in word.parses if p.pos == "NOUN" and p.lemma == "данные"]
    if data_nouns and i > 0 and _adjacent(text, tokens[i - 1], tokens[i]):
        before = [p for p in tokens[i - 1].word.parses if p.pos in _ADJECTIVAL_POS]
        if any(_agree(adj, noun) for adj in before for noun in data_nouns):
            return False

    skipped = 0
    j = i + 1
    while j < len(tokens) and _adjacent(text, tokens[j - 1], tokens[j]):
        parses = tokens[j].word.parses
        nouns = [n for n in parses if n.pos == "NOUN"]
        agreeing = [n for n in nouns if any(_agree(d, n) for d in dets)]
        if agreeing:
            if data_nouns:
                for n in nouns:
                    if n.case == "gent" and (n not in agreeing or n.animacy == "anim"):
                        return False
            return True
        adjectives = [a for a in parses if a.pos in _ADJECTIVAL_POS]
        narrowed = [d for d in dets if any(_agree(d, a) for a in adjectives)]
        if skipped >= 2 or not narrowed:
            return False
        dets = narrowed
        skipped += 1
        j += 1
    return False


def _preposition_context(text: str, tokens: list[_Token], i: int) -> bool:
    """«согласно» the preposition governs the dative: «согласно графику», not «согласно кивнули»."""
    if i + 1 >= len(tokens) or not _adjacent(text, tokens[i], tokens[i + 1]):
        return False
    return any(p.case == "datv" for p in tokens[i + 1].word.parses)


_ContextRule = Callable[[str, list[_Token], int], bool]
_CONTEXT_RULES: dict[str, _ContextRule] = {
    "данный": _determiner_context,
    "согласно": _preposition_context,
}


# --- phrases ----------------------------------------------------------------------------------


class _CompiledPhrase(NamedTuple):
    phrase: Phrase
    lemmas: tuple[str, ...]

    def matches(self, text: str, tokens: list[_Token], i: int) -> bool:
        if i + len(self.lemmas) > len(tokens):
            return False
        for k, lemma in enumerate(self.lemmas):
            word = tokens[i + k].word
            if lemma not in word.lemmas:
                return False
            allowed = _POS_CONSTRAINTS.get(lemma)
            if allowed is not None and not any(
                p.pos in allowed for p in word.parses if p.lemma == lemma
            ):
                return False
            rule = _CONTEXT_RULES.get(lemma)
            if rule is not None and not rule(text, tokens, i + k):
                return False
        return True


def default_phrases() -> tuple[Phrase, ...]:
    """The built-in phrase list (``phrases.PHRASES``) as ``Phrase`` objects."""
    return tuple(Phrase(text, suggestion, comment) for text, suggestion, comment in PHRASES)


class StyleChecker:
    """Finds phrases from a list in text, on word forms, and rates readability."""

    def __init__(self, phrases: Iterable[Phrase] | None = None):
        if phrases is None:
            phrases = default_phrases()
        self._by_first_lemma: dict[str, list[_CompiledPhrase]] = {}
        seen: set[tuple[str, ...]] = set()
        for phrase in phrases:
            words = [m.group() for m in _WORD_RE.finditer(phrase.text)]
            if not words:
                raise ValueError(f"В выражении нет слов: {phrase.text!r}")
            lemmas = tuple(_phrase_lemma(word) for word in words)
            if lemmas in seen:
                continue
            seen.add(lemmas)
            self._by_first_lemma.setdefault(lemmas[0], []).append(_CompiledPhrase(phrase, lemmas))
        for compiled in self._by_first_lemma.values():
            compiled.sort(key=lambda c: len(c.lemmas), reverse=True)

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        return tuple(c.phrase for group in self._by_first_lemma.values() for c in group)

    def find(self, text: str, field: str = "text") -> list[Finding]:
        """Phrases found in plain ``text``, in text order; overlaps go to the longest phrase."""
        if not text:
            return []
        tokens = _tokens(text)
        candidates: list[tuple[int, int, _CompiledPhrase]] = []
        for i, token in enumerate(tokens):
            for lemma in token.word.lemmas:
                for compiled in self._by_first_lemma.get(lemma, ()):
                    if compiled.matches(text, tokens, i):
                        candidates.append((i, i + len(compiled.lemmas), compiled))

        candidates.sort(
            key=lambda c: (-(c[1] - c[0]), -(tokens[c[1] - 1].end - tokens[c[0]].start), c[0])
        )
        taken = [False] * len(tokens)
        chosen: list[tuple[int, int, _CompiledPhrase]] = []
        for first, stop, compiled in candidates:
            if any(taken[first:stop]):
                continue
            taken[first:stop] = [True] * (stop - first)
            chosen.append((first, stop, compiled))
        chosen.sort(key=lambda c: c[0])

        findings = []
        for first, stop, compiled in chosen:
            start, end = tokens[first].start, tokens[stop - 1].end
            findings.append(
                Finding(
                    phrase=compiled.phrase.text,
                    suggestion=compiled.phrase.suggestion,
                    comment=compiled.phrase.comment,
                    field=field,
                    start=start,
                    end=end,
                    matched=text[start:end],
                )
            )
        return findings

    def check(self, fields: Mapping[str, str]) -> Report:
        """Findings over all fields (in the mapping's order) and readability of all the text."""
        from .grammar import find_hints

        findings: list[Finding] = []
        hints = []
        for field, text in fields.items():
            findings.extend(self.find(text or "", field))
            hints.extend(find_hints(text or "", field))
        joined = "\n\n".join(text for text in fields.values() if text)
        return Report(findings=tuple(findings), readability=readability(joined), hints=tuple(hints))
