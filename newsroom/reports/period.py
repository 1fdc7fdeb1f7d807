"""Report periods in the organisation's zone, and percentiles from counted values (plain Python).

A month is reported as the organisation lives it: a message found at 23:30 UTC on 31 October is
a November message in Barnaul. Periods are half-open, ``[start, end)``, both aware.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

MONTH_NAMES = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Days ``first`` … ``last`` inclusive, in ``zone``."""

    first: date
    last: date
    zone: tzinfo

    @classmethod
    def month(cls, year: int, month: int, zone: tzinfo) -> Period:
        first = date(year, month, 1)
        return cls(first, add_months(first, 1) - timedelta(days=1), zone)

    @classmethod
    def last_closed_month(cls, now: datetime, zone: tzinfo) -> Period:
        today = now.astimezone(zone).date()
        previous = add_months(today, -1)
        return cls.month(previous.year, previous.month, zone)

    @property
    def start(self) -> datetime:
        return datetime(self.first.year, self.first.month, self.first.day, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        after = self.last + timedelta(days=1)
        return datetime(after.year, after.month, after.day, tzinfo=self.zone)

    @property
    def is_month(self) -> bool:
        return self.first.day == 1 and add_months(self.first, 1) - timedelta(days=1) == self.last

    def shifted(self, months: int) -> Period:
        """The same span ``months`` later (earlier when negative); a month stays a whole month."""
        if self.is_month:
            first = add_months(self.first, months)
            return Period.month(first.year, first.month, self.zone)
        length = self.last - self.first
        first = add_months(self.first, months) + timedelta(days=self.first.day - 1)
        return Period(first, first + length, self.zone)

    @property
    def label(self) -> str:
        if self.is_month:
            return f"{MONTH_NAMES[self.first.month - 1]} {self.first.year} г."
        return f"{self.first:%d.%m.%Y} — {self.last:%d.%m.%Y}"

    @property
    def key(self) -> str:
        """What the report's address carries: ``2026-11`` for a month, else both days."""
        if self.is_month:
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y-%m-%d}_{self.last:%Y-%m-%d}"


def month_label(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1][:3]} {year % 100:02d}"


def percentile(counts: dict[int, int], share: float) -> float | None:
    """The ``share`` percentile (0.5 = median) of values given as ``{value: how many}``.

    Nearest-rank: the smallest value with at least ``share`` of all values at or below it, so a
    median of 1, 2, 3, 4 is 2 and the 90th percentile of ten values is the ninth.
    """
    total = sum(counts.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return max(counts)


def change(current: float | None, before: float | None) -> float | None:
    """Relative change in per cent, None when there is nothing to compare with."""
    if current is None or not before:
        return None
    return round((current - before) * 100 / before, 1)
