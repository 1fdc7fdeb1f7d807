"""What pymorphy3 says about a word, asked the way the grammar checks need it.

A sentence's words are ``(start, end, word)`` triples with offsets into the whole text.
"""

from __future__ import annotations

from functools import lru_cache

from ..checker import _analyzer, _normalise
from ..words import _WORD_RE

#: Nouns that name an action though they do not end like a verbal noun.
NOUNS_OF_ACTION = frozenset(
    {
        "ремонт",
        "работа",
        "контроль",
        "мониторинг",
        "анализ",
        "строительство",
        "помощь",
        "оценка",
        "участие",
    }
)
_VERBAL_NOUN_ENDINGS = ("ние", "тие", "ка", "ация")
_VERBAL_NOUNS_TOO_PLAIN = frozenset({"мероприятие", "занятие", "собрание", "совещание", "здание"})

normalise = lru_cache(maxsize=50_000)(_normalise)
#: What is asked of a word does not change: each answer is kept per word as written.
_per_word = lru_cache(maxsize=50_000)


@lru_cache(maxsize=50_000)
def parses(word: str):
    """pymorphy3's parses of ``word`` as written (case and «ё» do not matter)."""
    return tuple(_analyzer().parse(normalise(word)))


def _first(word: str):
    found = parses(word)
    return found[0] if found else None


def words_of(sentence: str, offset: int):
    return [(offset + m.start(), offset + m.end(), m.group()) for m in _WORD_RE.finditer(sentence)]


@_per_word
def lemma(word: str) -> str:
    first = _first(word)
    return normalise(first.normal_form) if first else normalise(word)


@_per_word
def pos(word: str) -> str:
    first = _first(word)
    return str(first.tag.POS) if first else ""


@_per_word
def tag(word: str):
    first = _first(word)
    return first.tag if first else None


@_per_word
def is_short_passive(word: str) -> bool:
    first = _first(word)
    return bool(first) and first.tag.POS == "PRTS" and "pssv" in first.tag


def active_past(word: str) -> str:
    """«проведена» → «провели»: the verb of a participle in the past plural."""
    first = _first(word)
    if not first:
        return ""
    for verb in parses(first.normal_form):
        if verb.tag.POS == "INFN":
            past = verb.inflect({"past", "plur"})
            return past.word if past else ""
    return ""


@_per_word
def is_verbal_noun(word: str) -> bool:
    for parse in parses(word):
        if parse.tag.POS == "NOUN":
            noun = normalise(parse.normal_form)
            if noun in NOUNS_OF_ACTION:
                return True
            return noun.endswith(_VERBAL_NOUN_ENDINGS) and noun not in _VERBAL_NOUNS_TOO_PLAIN
    return False


@_per_word
def is_number(word: str) -> bool:
    return word.isdigit() or pos(word) == "NUMR"


@_per_word
def is_genitive_noun(word: str) -> bool:
    return any(p.tag.POS == "NOUN" and p.tag.case in ("gent", "gen1", "gen2") for p in parses(word))


@_per_word
def is_genitive_adjective(word: str) -> bool:
    return any(p.tag.POS == "ADJF" and p.tag.case == "gent" for p in parses(word))


@_per_word
def is_instrumental_noun(word: str) -> bool:
    first = _first(word)
    return bool(first) and first.tag.POS == "NOUN" and first.tag.case == "ablt"


def agrees_as_subject(predicate: str, word: str) -> bool:
    """Is ``word`` a noun (or pronoun) in the nominative that ``predicate`` agrees with in number
    («вручены награды», «проводятся они»)?"""
    predicate_tag = tag(predicate)
    number, gender = predicate_tag.number, predicate_tag.gender
    found = parses(word)

    def agrees(p):
        if p.tag.POS not in ("NOUN", "NPRO") or p.tag.case != "nomn" or p.tag.number != number:
            return False
        # In the singular the gender agrees too: «получено» (neuter) is not about «месяц».
        noun_gender = p.tag.gender
        return not (gender and noun_gender and noun_gender != gender)

    return bool(found) and found[0].tag.POS in ("NOUN", "NPRO") and any(agrees(p) for p in found)


def is_transitive_infinitive(word: str) -> bool:
    return any(p.tag.POS == "INFN" and "tran" in p.tag for p in parses(word))
