"""Nouns doing a verb's work: a light verb with a verbal noun («осуществляется проведение»,
«произвели ремонт», «приняли участие», «Ремонт спортзала проводится»), «работы по
благоустройству», «в целях повышения»; and chains of genitives («обеспечения безопасности
дорожного движения жителей района»)."""

from __future__ import annotations

from . import morphology as m
from .hints import HIGH, MEDIUM, span_hint

GENITIVE_CHAIN = 4

_LIGHT_VERBS = frozenset(
    {
        "вести",
        "вестись",
        "принять",
        "принимать",
        "дать",
        "давать",
        "осуществлять",
        "осуществить",
        "осуществляться",
        "производить",
        "произвести",
        "производиться",
        "проводить",
        "провести",
        "проводиться",
        "выполнять",
        "выполняться",
        "реализовывать",
        "реализовываться",
        "организовывать",
        "организовываться",
    }
)
#: Light verbs in their «-ся» form: «Ремонт проводится», «осуществляется проведение».
_REFLEXIVE_LIGHT_VERBS = frozenset(
    {"осуществляться", "производиться", "вестись", "проводиться", "выполняться"}
)
_ONE_VERB = (
    "Скажите одним глаголом: «ремонтируют» вместо «осуществляется ремонт», "
    "«проверили» вместо «провели проверку»"
)
_WHO_DOES = "Скажите, кто и что делает: «дорогу ремонтируют», «школу строят»"


def _in_order_to(words, i):
    """«в целях повышения»: the span, or ``None``."""
    if (
        m.lemma(words[i][2]) == "цель"
        and i > 0
        and m.normalise(words[i - 1][2]) == "в"
        and i + 1 < len(words)
        and m.is_verbal_noun(words[i + 1][2])
    ):
        return words[i - 1][0], words[i + 1][1]
    return None


def _work_on(words, i):
    """«работы по благоустройству»: the span, or ``None``."""
    if m.lemma(words[i][2]) != "работа" or i + 2 >= len(words):
        return None
    if m.normalise(words[i + 1][2]) != "по":
        return None
    noun = words[i + 2][2]
    lemma = m.lemma(noun)
    if (m.is_verbal_noun(noun) or lemma.endswith("ство")) and lemma not in m.NOUNS_OF_ACTION:
        return words[i][0], words[i + 2][1]
    return None


def _head_of_group_before(words, i):
    """«Ремонт спортивного зала проводится»: the verbal noun heading the words before ``i``."""
    j = i - 1
    while j >= 0 and i - j <= 4:
        word = words[j][2]
        if m.is_verbal_noun(word):
            return j
        if not (m.is_genitive_noun(word) or m.is_genitive_adjective(word)):
            return None
        j -= 1
    return None


def _light_verb(text, words, i, field):
    """The hint of a light verb at ``i`` with its verbal noun, or ``None``."""
    lemma = m.lemma(words[i][2])
    if lemma not in _LIGHT_VERBS:
        return None
    reflexive = lemma in _REFLEXIVE_LIGHT_VERBS
    head = _head_of_group_before(words, i) if reflexive else None
    if head is not None:
        return span_hint("verbal_noun", HIGH, field, text, words[head][0], words[i][1], _WHO_DOES)
    for j in range(i + 1, min(i + 3, len(words))):
        if m.is_verbal_noun(words[j][2]):
            return span_hint("verbal_noun", HIGH, field, text, words[i][0], words[j][1], _ONE_VERB)
    if reflexive:
        return span_hint(
            "verbal_noun",
            MEDIUM,
            field,
            text,
            words[i][0],
            words[i][1],
            "Скажите, кто и что делает: «ремонтируют», «строят»",
        )
    return None


def find_verbal_nouns(text, words, field):
    hints = []
    for i in range(len(words)):
        span = _in_order_to(words, i) or _work_on(words, i)
        if span:
            hints.append(span_hint("verbal_noun", HIGH, field, text, *span, _ONE_VERB))
            continue
        hint = _light_verb(text, words, i, field)
        if hint:
            hints.append(hint)
    return hints


def find_genitive_chains(text, words, field):
    hints, run = [], []
    for item in [*words, None]:
        word = item[2] if item else ""
        if item and (m.is_genitive_noun(word) or (run and m.is_genitive_adjective(word))):
            run.append(item)
            continue
        nouns = [w for w in run if m.is_genitive_noun(w[2])]
        if len(nouns) >= GENITIVE_CHAIN:
            hints.append(
                span_hint(
                    "genitives",
                    MEDIUM,
                    field,
                    text,
                    run[0][0],
                    run[-1][1],
                    "Разбейте цепочку родительных падежей: перестройте фразу или вынесите часть в "
                    "отдельное предложение",
                )
            )
        run = []
    return hints
