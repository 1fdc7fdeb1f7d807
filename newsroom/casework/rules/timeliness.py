"""When an answer counts as given in time: one definition for the case page and the monthly
analysis.

The answer stage is met by the *first* answer placed — an interim one counts (seeds 003/004 p. 9:
an interim answer within the term, then the final one within the term set for it). So the answer
stage is judged on ``interim_answered_at`` or, without one, ``answered_at`` against ``answer_due``;
the final answer after an interim one is a stage of its own, judged against ``final_due``.

Plain Python: no Django import. The monthly analysis expresses the same choice in SQL from
``ANSWER_PLACED_FIELDS``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

#: The moments that meet the answer stage, the first one present counting.
ANSWER_PLACED_FIELDS = ("interim_answered_at", "answered_at")


def answer_placed_at(interim_answered_at, answered_at):
    """The moment the answer stage was met, or None."""
    return interim_answered_at or answered_at


def in_time(done: datetime.datetime | None, due: datetime.datetime | None) -> bool | None:
    """True in time, False late, None when there is nothing to judge yet."""
    if done is None or due is None:
        return None
    return done <= due


@dataclass(frozen=True)
class AnswerTimeliness:
    answer: bool | None  # the answer stage (the first answer placed)
    final: bool | None  # the final answer after an interim one; None without one

    @classmethod
    def of(cls, *, answer_due, final_due, interim_answered_at, answered_at):
        placed = answer_placed_at(interim_answered_at, answered_at)
        final = in_time(answered_at, final_due) if interim_answered_at is not None else None
        return cls(in_time(placed, answer_due), final)
