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
- 59-FZ an appeal has its own term from registration, extendable once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsroom.worktime import Unit, WorkingTime

WORKING_UNITS = {Unit.WORKING_MINUTES, Unit.WORKING_HOURS, Unit.WORKING_DAYS}


@dataclass(frozen=True)
class Term:
    amount: int
    unit: Unit

    def after(self, clock: WorkingTime, start: datetime) -> datetime:
        return clock.add(start, self.amount, self.unit)

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


@dataclass(frozen=True)
class InitialDeadlines:
    routing_due: datetime | None
    draft_due: datetime | None
    answer_due: datetime


def initial_deadlines(
    rules: Rules, clock: WorkingTime, start: datetime, *, high_importance: bool = False
) -> InitialDeadlines:
    """Routing, draft and answer deadlines fixed when the clock of a case starts."""
    answer_term = rules.answer
    if high_importance and rules.high_importance_answer is not None:
        answer_term = rules.high_importance_answer
    answer_due = answer_term.after(clock, start)
    draft_due = rules.draft_lead.before(clock, answer_due) if rules.draft_lead else None
    if draft_due is not None and draft_due < start:
        draft_due = start  # a term shorter than the lead: the draft is due at once
    routing_due = rules.routing.after(clock, start) if rules.routing else None
    return InitialDeadlines(routing_due=routing_due, draft_due=draft_due, answer_due=answer_due)


def forward_due(rules: Rules, clock: WorkingTime, draft_received_at: datetime) -> datetime | None:
    return rules.forward.after(clock, draft_received_at) if rules.forward else None


def rework_due(rules: Rules, clock: WorkingTime, returned_at: datetime) -> datetime | None:
    return rules.rework.after(clock, returned_at) if rules.rework else None


def final_due(rules: Rules, clock: WorkingTime, interim_answered_at: datetime) -> datetime | None:
    if rules.final_after_interim is None:
        return None
    return rules.final_after_interim.after(clock, interim_answered_at)


def extended_due(rules: Rules, clock: WorkingTime, answer_due: datetime) -> datetime | None:
    return rules.extension.after(clock, answer_due) if rules.extension else None
