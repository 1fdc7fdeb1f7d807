"""Deadlines of a case under a regulation profile (plain Python, no Django).

Rule numbers refer to shared/design/regulations.md:

- R4  routing to the responsible unit, counted from the start of the clock;
- R5  answer prepared and posted, counted from the start of the clock;
- R6  the same for a high-importance incident;
- R7  the executor's draft is due «N hours before the answer deadline», in the answer's own unit
      family (working hours for a working-hour profile, calendar hours for a calendar one);
- R8  the curator's office forwards a draft within N of receiving it;
- R9  rework after a rejection within N of the rejection;
- R10 the final answer within N of the interim answer;
- 59-FZ an appeal has its own term from registration, extendable once; a term in calendar days
      that ends on a non-working day ends on the preceding (or, by the profile, the next)
      working day instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from newsroom.worktime import Unit, WorkingTime

WORKING_UNITS = {Unit.WORKING_MINUTES, Unit.WORKING_HOURS, Unit.WORKING_DAYS}


class OffDayShift(enum.Enum):
    """Where a calendar-day term that ends on a non-working day ends instead."""

    PRECEDING = "preceding"
    NEXT = "next"


@dataclass(frozen=True)
class Term:
    amount: int
    unit: Unit

    def after(self, clock: WorkingTime, start: datetime) -> datetime:
        return clock.add(start, self.amount, self.unit)

    def after_on_working_day(
        self, clock: WorkingTime, start: datetime, shift: OffDayShift
    ) -> tuple[datetime, datetime | None]:
        """The end of the term, and where it fell before being moved off a non-working day
        (None when it was not moved). Only calendar days can land on a day off."""
        due = self.after(clock, start)
        if self.unit is not Unit.CALENDAR_DAYS:
            return due, None
        moved = clock.off_day_moved(due, forward=shift is OffDayShift.NEXT)
        return moved, (due if moved != due else None)

    def before(self, clock: WorkingTime, end: datetime) -> datetime:
        return clock.subtract(end, self.amount, self.unit)


@dataclass(frozen=True)
class Rules:
    """The numbers of one regulation profile; ``None`` where the regulation sets no term."""

    answer: Term
    routing: Term | None = None
    high_importance_answer: Term | None = None
    draft_lead: Term | None = None
    forward: Term | None = None
    rework: Term | None = None
    final_after_interim: Term | None = None
    extension: Term | None = None
    off_day_shift: OffDayShift = OffDayShift.PRECEDING


@dataclass(frozen=True)
class InitialDeadlines:
    routing_due: datetime | None
    draft_due: datetime | None
    answer_due: datetime
    # Where the answer's term fell before it was moved off a non-working day, or None.
    answer_due_unmoved: datetime | None = None


def initial_deadlines(
    rules: Rules, clock: WorkingTime, start: datetime, *, high_importance: bool = False
) -> InitialDeadlines:
    """Routing, draft and answer deadlines fixed when the clock of a case starts."""
    answer_term = rules.answer
    if high_importance and rules.high_importance_answer is not None:
        answer_term = rules.high_importance_answer
    answer_due, unmoved = answer_term.after_on_working_day(clock, start, rules.off_day_shift)
    draft_due = rules.draft_lead.before(clock, answer_due) if rules.draft_lead else None
    if draft_due is not None and draft_due < start:
        draft_due = start  # a term shorter than the lead: the draft is due at once
    routing_due = rules.routing.after(clock, start) if rules.routing else None
    return InitialDeadlines(
        routing_due=routing_due,
        draft_due=draft_due,
        answer_due=answer_due,
        answer_due_unmoved=unmoved,
    )


def forward_due(rules: Rules, clock: WorkingTime, draft_received_at: datetime) -> datetime | None:
    return rules.forward.after(clock, draft_received_at) if rules.forward else None


def rework_due(rules: Rules, clock: WorkingTime, returned_at: datetime) -> datetime | None:
    return rules.rework.after(clock, returned_at) if rules.rework else None


def final_due(rules: Rules, clock: WorkingTime, interim_answered_at: datetime) -> datetime | None:
    if rules.final_after_interim is None:
        return None
    return rules.final_after_interim.after(clock, interim_answered_at)


def extended_due(rules: Rules, clock: WorkingTime, answer_due: datetime) -> datetime | None:
    return extended(rules, clock, answer_due)[0]


def extended(
    rules: Rules, clock: WorkingTime, answer_due: datetime
) -> tuple[datetime | None, datetime | None]:
    """The extended term (None where the profile allows none), and where it fell before being
    moved off a non-working day."""
    if not rules.extension:
        return None, None
    return rules.extension.after_on_working_day(clock, answer_due, rules.off_day_shift)
