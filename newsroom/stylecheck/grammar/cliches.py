"""Set phrases of press releases: empty openings («Хочется отметить», «Стоит отметить»), an event
reported as having taken place («Состоялось торжественное мероприятие», «Торжественное собрание …
состоялось», «состоялся концерт», «прошло заседание», «Было проведено мероприятие») and the
office's «находится на контроле»."""

from __future__ import annotations

import re

from . import morphology as m
from .hints import HIGH, span_hint

_OPENING_RE = re.compile(
    r"^\s*(?:хочется|хотелось\s+бы|стоит|следует|необходимо|нужно|важно|нельзя\s+не|"
    r"надо|думается,?\s+что)\s+(?:отметить|подчеркнуть|сказать|напомнить|обратить\s+внимание)",
    re.IGNORECASE,
)
_EVENT_RE = re.compile(
    r"(?:состоял[аоись]*|прош[лоаеи]+|было\s+проведено|был[аио]?\s+организован[аоы]?|"
    r"проведено|организовано)\s+(?:\w+\s+){0,2}?мероприяти[еяю]",
    re.IGNORECASE,
)
_FESTIVE_RE = re.compile(
    r"\b(?:торжественн|праздничн)\w*\s+(?:мероприяти|собрани)\w*", re.IGNORECASE
)
_CONTROL_RE = re.compile(
    r"(?:наход\w+|остаётся|остается|взят\w*|держ\w+)\s+(?:на|под)\s+(?:\w+\s+)?контрол\w*",
    re.IGNORECASE,
)
_EVENT_NOUNS = frozenset(
    {
        "мероприятие",
        "собрание",
        "заседание",
        "совещание",
        "церемония",
        "торжество",
        "чествование",
    }
)
_NAME_IT = "Назовите, что произошло: «вручили награды», «открыли сквер», «обсудили …»"
_WHO_AND_WHEN = "Скажите, кто и к какому сроку это сделает"


def find_opening(text, sentence, offset, field):
    opening = _OPENING_RE.match(sentence)
    if not opening:
        return []
    lead = len(sentence) - len(sentence.lstrip())
    return [
        span_hint(
            "opening",
            HIGH,
            field,
            text,
            offset + lead,
            offset + opening.end(),
            "Уберите вступление и начните с сути",
        )
    ]


def _took_place(word: str, with_event: bool) -> bool:
    """«состоялся» (any past form); «прошло»/«прошла» only with an event noun in the sentence."""
    tag = m.tag(word)
    if not tag or tag.POS != "VERB" or "past" not in tag:
        return False
    lemma = m.lemma(word)
    return lemma == "состояться" or (with_event and lemma == "пройти")


def find_cliches(text, sentence, offset, words, field):
    spans = [(offset + x.start(), offset + x.end(), _NAME_IT) for x in _EVENT_RE.finditer(sentence)]
    spans += [
        (offset + x.start(), offset + x.end(), _NAME_IT) for x in _FESTIVE_RE.finditer(sentence)
    ]
    spans += [
        (offset + x.start(), offset + x.end(), _WHO_AND_WHEN)
        for x in _CONTROL_RE.finditer(sentence)
    ]
    if not spans:
        # «Состоялся концерт», «Торжественное собрание … состоялось», «Прошла церемония»: in
        # either order.
        events = [w for w in words if m.lemma(w[2]) in _EVENT_NOUNS]
        took_place = [w for w in words if _took_place(w[2], bool(events))]
        if took_place:
            first, last = sorted((took_place[0], events[0])) if events else (took_place[0],) * 2
            spans.append((first[0], last[1], _NAME_IT))
    return [
        span_hint("cliche", HIGH, field, text, start, end, hint)
        for start, end, hint in _outermost(spans)
    ]


def _outermost(spans):
    """«состоялось торжественное мероприятие» once, not again as «торжественное мероприятие»."""
    spans = sorted(spans, key=lambda span: (span[0], -span[1]))
    kept = []
    for span in spans:
        if not any(other[0] <= span[0] and span[1] <= other[1] for other in kept):
            kept.append(span)
    return kept
