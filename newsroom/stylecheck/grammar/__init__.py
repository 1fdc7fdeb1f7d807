"""Press-release grammar, found by the words' grammar (pymorphy3) rather than a phrase list.

Each hint has a severity: ``high`` — the sentence reads as a press release and should be
rewritten before it goes to the networks (the post is held, see ``social_sync.services.
style_gate``); ``medium`` — advice. What is found, module by module:

- ``passives`` — a passive that hides who did it («была проведена», «вручены награды»);
- ``nominal`` — nouns doing a verb's work («осуществляется проведение», «приняли участие») and
  chains of four genitives (medium);
- ``cliches`` — empty openings, events that «состоялись», «находится на контроле»;
- here: sentences over 25 words (medium).

The checker is measured on 60 sentences of district news (``tests/newsroom/data``).
"""

from __future__ import annotations

import re

from . import cliches, nominal, passives
from .hints import HIGH, MEDIUM, Hint
from .morphology import words_of

__all__ = ["HIGH", "MEDIUM", "Hint", "find_hints"]

LONG_SENTENCE_WORDS = 25

_SENTENCE_RE = re.compile(r"[^.!?…\n]+[.!?…]*")


def _long_sentence(text, sentence, offset, words, field):
    if len(words) <= LONG_SENTENCE_WORDS:
        return []
    lead = len(sentence) - len(sentence.lstrip())
    start, end = offset + lead, offset + len(sentence.rstrip())
    matched = text[start:end][:80] + ("…" if end - start > 80 else "")
    suggestion = f"Предложение длиннее {LONG_SENTENCE_WORDS} слов ({len(words)}): разделите его"
    return [Hint("long_sentence", MEDIUM, field, start, end, matched, suggestion)]


def find_hints(text: str, field: str = "text") -> list[Hint]:
    """The grammar hints of plain ``text``, in text order."""
    hints: list[Hint] = []
    for match in _SENTENCE_RE.finditer(text or ""):
        sentence, offset = match.group(), match.start()
        words = words_of(sentence, offset)
        if not words:
            continue
        found = [
            *cliches.find_opening(text, sentence, offset, field),
            *cliches.find_cliches(text, sentence, offset, words, field),
            *passives.find(text, words, field),
            *nominal.find_verbal_nouns(text, words, field),
            *nominal.find_genitive_chains(text, words, field),
            *_long_sentence(text, sentence, offset, words, field),
        ]
        # Hints overlap only within a sentence: compared there, not across the whole text.
        hints += _without_overlaps(found)
    hints.sort(key=lambda hint: (hint.start, hint.end))
    return hints


def _covers(other: Hint, hint: Hint) -> bool:
    if other.kind in ("cliche", "opening"):
        # A cliché already covers the passive inside it («Было проведено мероприятие»).
        return (
            hint.kind not in ("cliche", "opening", "long_sentence")
            and other.start <= hint.start
            and hint.end <= other.end
        )
    # «Была проведена работа»: one hint, the passive's, for the participle both would flag; but
    # «осуществляется проведение» is the verbal noun's («-ся» passive of a light verb).
    if {other.kind, hint.kind} != {"passive", "verbal_noun"}:
        return False
    passive, verbal = (other, hint) if other.kind == "passive" else (hint, other)
    reflexive = passive.matched.endswith(("ся", "сь"))
    winner = "verbal_noun" if reflexive and verbal.is_high else "passive"
    return other.kind == winner and other.start <= hint.start < other.end


def _without_overlaps(hints: list[Hint]) -> list[Hint]:
    return [hint for hint in hints if not any(_covers(o, hint) for o in hints if o is not hint)]
