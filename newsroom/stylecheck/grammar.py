"""Press-release grammar, found by the words' grammar (pymorphy3) rather than a phrase list.

Each hint has a severity: ``high`` — the sentence reads as a press release and should be
rewritten before it goes to the networks; ``medium`` — advice.

- **passive**: a short passive participle after a form of «быть» («была проведена», «были
  вручены») or opening the sentence («Проведено совещание») — say who did it. A participle in a
  plain statement («Каток открыт», «Ремонт закончен») is ordinary news Russian and is left alone.
- **verbal noun**: a light verb with a verbal noun («осуществляется проведение», «произвели
  ремонт», «проводится работа по …») — say it with one verb.
- **opening**: an empty opening («Хочется отметить», «Стоит отметить», «Необходимо подчеркнуть»).
- **cliché**: an event cliché («Состоялось торжественное мероприятие», «Было проведено
  мероприятие», «прошло мероприятие») — name what happened.
- **genitives**: four or more nouns in the genitive in a row — break the chain.
- **long sentence**: more than 25 words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .checker import _analyzer, _normalise
from .words import _WORD_RE

HIGH, MEDIUM = "high", "medium"
LONG_SENTENCE_WORDS = 25
GENITIVE_CHAIN = 4

_SENTENCE_RE = re.compile(r"[^.!?…\n]+[.!?…]*")
_OPENING_RE = re.compile(
    r"^\s*(?:хочется|хотелось\s+бы|стоит|следует|необходимо|нужно|важно|нельзя\s+не|"
    r"надо|думается,?\s+что)\s+(?:отметить|подчеркнуть|сказать|напомнить|обратить\s+внимание)",
    re.IGNORECASE,
)
_CLICHE_RE = re.compile(
    r"(?:состоял[аоись]*|прош[лоаеи]+|было\s+проведено|был[аио]?\s+организован[аоы]?|"
    r"проведено|организовано)\s+(?:\w+\s+){0,2}?мероприяти[еяю]",
    re.IGNORECASE,
)
_LIGHT_VERBS = frozenset(
    {
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
_VERBAL_NOUN_ENDINGS = ("ние", "тие", "ка", "ация")
_VERBAL_NOUNS_TOO_PLAIN = frozenset({"мероприятие", "занятие", "собрание", "совещание", "здание"})
_REFLEXIVE_PASSIVES = frozenset({"осуществляться", "производиться"})


@dataclass(frozen=True)
class Hint:
    kind: str
    severity: str
    field: str
    start: int
    end: int
    matched: str
    suggestion: str

    @property
    def is_high(self) -> bool:
        return self.severity == HIGH


@lru_cache(maxsize=50_000)
def _parses(word: str):
    return tuple(_analyzer().parse(word))


def _words(sentence: str, offset: int):
    return [(offset + m.start(), offset + m.end(), m.group()) for m in _WORD_RE.finditer(sentence)]


def _is_short_passive(word: str) -> bool:
    parses = _parses(_normalise(word))
    return bool(parses) and parses[0].tag.POS == "PRTS" and "pssv" in parses[0].tag


def _lemma(word: str) -> str:
    parses = _parses(_normalise(word))
    return _normalise(parses[0].normal_form) if parses else _normalise(word)


def _active(word: str) -> str:
    """«проведена» → «провели»: the verb of a participle in the past plural."""
    parses = _parses(_normalise(word))
    if not parses:
        return ""
    for verb in _parses(parses[0].normal_form):
        if verb.tag.POS == "INFN":
            past = verb.inflect({"past", "plur"})
            return past.word if past else ""
    return ""


def _is_verbal_noun(word: str) -> bool:
    for parse in _parses(_normalise(word)):
        if parse.tag.POS == "NOUN":
            lemma = _normalise(parse.normal_form)
            return lemma.endswith(_VERBAL_NOUN_ENDINGS) and lemma not in _VERBAL_NOUNS_TOO_PLAIN
    return False


def _is_genitive_noun(word: str) -> bool:
    return any(
        p.tag.POS == "NOUN" and p.tag.case in ("gent", "gen1", "gen2") for p in _parses(word)
    )


def _is_genitive_adjective(word: str) -> bool:
    return any(p.tag.POS == "ADJF" and p.tag.case == "gent" for p in _parses(word))


def _passives(text, words, field):
    hints = []
    for i, (start, end, word) in enumerate(words):
        if not _is_short_passive(word):
            continue
        after_be = i > 0 and _lemma(words[i - 1][2]) == "быть"
        opening = i == 0
        if not (after_be or opening):
            continue
        first = words[i - 1][0] if after_be else start
        active = _active(word)
        suggestion = (
            f"Скажите, кто сделал: «{active}» (например, «Сотрудники администрации {active} …»)"
            if active
            else "Скажите, кто сделал, активным глаголом"
        )
        hints.append(Hint("passive", HIGH, field, first, end, text[first:end], suggestion))
    return hints


def _verbal_nouns(text, words, field):
    hints = []
    for i, (start, _end, word) in enumerate(words):
        lemma = _lemma(word)
        if lemma not in _LIGHT_VERBS:
            continue
        for j in range(i + 1, min(i + 3, len(words))):
            if _is_verbal_noun(words[j][2]):
                end = words[j][1]
                hints.append(
                    Hint(
                        "verbal_noun",
                        HIGH,
                        field,
                        start,
                        end,
                        text[start:end],
                        "Скажите одним глаголом: «ремонтируют» вместо «осуществляется ремонт», "
                        "«проверили» вместо «провели проверку»",
                    )
                )
                break
        else:
            if lemma in _REFLEXIVE_PASSIVES:
                hints.append(
                    Hint(
                        "verbal_noun",
                        MEDIUM,
                        field,
                        start,
                        words[i][1],
                        word,
                        "Скажите, кто и что делает: «ремонтируют», «строят»",
                    )
                )
    return hints


def _genitive_chains(text, words, field):
    hints, run = [], []
    for item in [*words, None]:
        word = item[2] if item else ""
        if item and (
            _is_genitive_noun(_normalise(word))
            or (run and _is_genitive_adjective(_normalise(word)))
        ):
            run.append(item)
            continue
        nouns = [w for w in run if _is_genitive_noun(_normalise(w[2]))]
        if len(nouns) >= GENITIVE_CHAIN:
            start, end = run[0][0], run[-1][1]
            hints.append(
                Hint(
                    "genitives",
                    MEDIUM,
                    field,
                    start,
                    end,
                    text[start:end],
                    "Разбейте цепочку родительных падежей: перестройте фразу или вынесите часть в "
                    "отдельное предложение",
                )
            )
        run = []
    return hints


def find_hints(text: str, field: str = "text") -> list[Hint]:
    """The grammar hints of plain ``text``, in text order."""
    hints: list[Hint] = []
    for match in _SENTENCE_RE.finditer(text or ""):
        sentence, offset = match.group(), match.start()
        words = _words(sentence, offset)
        if not words:
            continue
        lead = len(sentence) - len(sentence.lstrip())
        opening = _OPENING_RE.match(sentence)
        if opening:
            start, end = offset + lead, offset + opening.end()
            hints.append(
                Hint(
                    "opening",
                    HIGH,
                    field,
                    start,
                    end,
                    text[start:end],
                    "Уберите вступление и начните с сути",
                )
            )
        for cliche in _CLICHE_RE.finditer(sentence):
            start, end = offset + cliche.start(), offset + cliche.end()
            hints.append(
                Hint(
                    "cliche",
                    HIGH,
                    field,
                    start,
                    end,
                    text[start:end],
                    "Назовите, что произошло: «вручили награды», «открыли сквер», «обсудили …»",
                )
            )
        hints += _passives(text, words, field)
        hints += _verbal_nouns(text, words, field)
        hints += _genitive_chains(text, words, field)
        if len(words) > LONG_SENTENCE_WORDS:
            end = offset + len(sentence.rstrip())
            start = offset + lead
            hints.append(
                Hint(
                    "long_sentence",
                    MEDIUM,
                    field,
                    start,
                    end,
                    text[start:end][:80] + ("…" if end - start > 80 else ""),
                    f"Предложение длиннее {LONG_SENTENCE_WORDS} слов ({len(words)}): разделите его",
                )
            )
    hints.sort(key=lambda hint: (hint.start, hint.end))
    return _without_overlaps(hints)


def _without_overlaps(hints):
    """A cliché already covers the passive inside it («Было проведено мероприятие»)."""
    kept = []
    for hint in hints:
        covered = any(
            other.kind in ("cliche", "opening")
            and hint.kind not in ("cliche", "opening", "long_sentence")
            and other.start <= hint.start
            and hint.end <= other.end
            for other in hints
        )
        if not covered:
            kept.append(hint)
    return kept
