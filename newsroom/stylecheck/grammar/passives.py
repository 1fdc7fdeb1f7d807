"""Passives that hide who did it: «была проведена», «вручены награды», «администрацией района
принято», «поручено ускорить», «обсуждались вопросы».

A participle after its subject in a plain statement («Каток открыт», «Ремонт закончен», «Жители
обеспокоены …») or graded by «очень» («были очень тронуты») is a state, and is left alone.
"""

from __future__ import annotations

from functools import lru_cache

from . import morphology as m
from .hints import HIGH, span_hint

#: «-ся» verbs that are not passives of a transitive verb, though one exists («начать»).
_NOT_PASSIVE = frozenset(
    {
        "начинаться",
        "заканчиваться",
        "кончаться",
        "завершаться",
        "продолжаться",
        "открываться",
        "закрываться",
        "собираться",
        "встречаться",
        "готовиться",
        "учиться",
        "находиться",
        "являться",
        "оставаться",
        "становиться",
        "появляться",
        "получаться",
        "меняться",
        "возвращаться",
        "двигаться",
        "браться",
    }
)
_DEGREE_ADVERBS = frozenset({"очень", "так", "крайне", "весьма", "особенно", "совсем", "слишком"})
_PREPOSITIONS_WITH_INSTRUMENTAL = frozenset({"с", "со", "за", "под", "над", "перед", "между"})
_ATTRIBUTES = frozenset({"ADJF", "PRTF", "ADVB", "NUMR", "NPRO"})


def _be_before(words, i):
    """The index of a «быть» before word ``i``, across adverbs («были детально рассмотрены»);
    ``None`` when there is none or a degree adverb makes it a state («были очень растроганы»)."""
    j = i - 1
    while j >= 0 and m.pos(words[j][2]) == "ADVB":
        if m.normalise(words[j][2]) in _DEGREE_ADVERBS:
            return None
        j -= 1
    return j if j >= 0 and m.lemma(words[j][2]) == "быть" else None


def _agent_before(words, i) -> bool:
    """«администрацией района принято»: a noun in the instrumental names who did it."""
    for j in range(i - 1, max(i - 4, -1), -1):
        if m.is_instrumental_noun(words[j][2]):
            before = m.normalise(words[j - 1][2]) if j > 0 else ""
            return before not in _PREPOSITIONS_WITH_INSTRUMENTAL
    return False


def _subject_before(text, words, i) -> bool:
    """«Каток открыт каждый день»: a noun in the nominative agreeing with word ``i`` stands
    before it in the same clause, so what follows it is not its subject."""
    for j in range(i - 1, -1, -1):
        if "," in text[words[j][1] : words[j + 1][0]]:
            return False
        after_preposition = j > 0 and m.pos(words[j - 1][2]) == "PREP"
        tag = m.tag(words[j][2])
        if (
            tag is not None
            # Most likely a nominative (or its twin, the accusative: «Каток»), not a genitive
            # after a preposition: «В ходе встречи обсуждались …».
            and tag.case in ("nomn", "accs")
            and not after_preposition
            and m.agrees_as_subject(words[i][2], words[j][2])
        ):
            return True
    return False


def _stands_before_its_subject(text, words, i) -> bool:
    """«вручены награды», «получено 47 обращений», «поручено ускорить»: the verb comes first."""
    if _subject_before(text, words, i):
        return False
    predicate = words[i][2]
    for j in range(i + 1, min(i + 4, len(words))):
        if "," in text[words[j - 1][1] : words[j][0]]:
            return False
        word = words[j][2]
        if m.is_number(word) or m.agrees_as_subject(predicate, word):
            return True
        if j == i + 1 and m.pos(word) == "INFN" and m.tag(predicate).gender == "neut":
            return True
        if m.pos(word) not in _ATTRIBUTES:
            return False
    return False


@lru_cache(maxsize=50_000)
def is_reflexive_passive(word: str) -> bool:
    """«обсуждались», «проводятся»: an imperfective «-ся» verb of a transitive verb."""
    tag = m.tag(word)
    if not tag or tag.POS != "VERB" or "impf" not in tag:
        return False
    lemma = m.lemma(word)
    if not lemma.endswith(("ться", "тись", "чься")) or lemma in _NOT_PASSIVE:
        return False
    return m.is_transitive_infinitive(lemma[:-2])


def find(text, words, field):
    hints = []
    for i, (start, end, word) in enumerate(words):
        if not m.is_short_passive(word):
            continue
        be = _be_before(words, i)
        if not (
            be is not None
            or i == 0
            or _stands_before_its_subject(text, words, i)
            or _agent_before(words, i)
        ):
            continue
        first = words[be][0] if be is not None else start
        active = m.active_past(word)
        suggestion = (
            f"Скажите, кто сделал: «{active}» (например, «Сотрудники администрации {active} …»)"
            if active
            else "Скажите, кто сделал, активным глаголом"
        )
        hints.append(span_hint("passive", HIGH, field, text, first, end, suggestion))
    for i, (start, end, word) in enumerate(words):
        if is_reflexive_passive(word) and _stands_before_its_subject(text, words, i):
            hints.append(
                span_hint(
                    "passive",
                    HIGH,
                    field,
                    text,
                    start,
                    end,
                    "Скажите, кто это делает: «обсудили вопросы», «проводим встречи»",
                )
            )
    return hints
