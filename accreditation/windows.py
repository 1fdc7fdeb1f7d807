"""The yearly application window, in plain Python (no Django).

A window is given as two day-month pairs, e.g. 1 December – 10 January. Both days are included:
the window opens at 00:00 of its first day and closes at 24:00 of its last day, in the
organisation's time zone. When the last day comes before the first in the calendar year, the
window spans the new year (1 December 2026 – 10 January 2027).

**The year applied for** is the year whose accreditation the window collects applications for:

* if the window closes in January–June, it is the year in which it closes
  (1 December 2026 – 10 January 2027 → 2027; 10 January – 1 February 2027 → 2027);
* if it closes in July–December, it is the next year (1–20 December 2026 → 2027).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

MONTHS_GENITIVE = (
    "",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def is_valid_day(day: int, month: int) -> bool:
    """A day that exists every year: 29 February does not."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= (28 if month == 2 else calendar.monthrange(2001, month)[1])


def human_date(value: datetime.date) -> str:
    """``1 декабря 2026``."""
    return f"{value.day} {MONTHS_GENITIVE[value.month]} {value.year}"


@dataclass(frozen=True)
class Occurrence:
    """One year's window: its first and last day (both included) and the year applied for."""

    opens: datetime.date
    closes: datetime.date

    @property
    def year(self) -> int:
        return self.closes.year if self.closes.month <= 6 else self.closes.year + 1

    def __contains__(self, day: datetime.date) -> bool:
        return self.opens <= day <= self.closes

    def describe(self) -> str:
        return f"с {human_date(self.opens)} по {human_date(self.closes)}"


@dataclass(frozen=True)
class Window:
    start_day: int
    start_month: int
    end_day: int
    end_month: int

    def __post_init__(self):
        if not is_valid_day(self.start_day, self.start_month):
            raise ValueError("Нет такой даты начала приёма заявок")
        if not is_valid_day(self.end_day, self.end_month):
            raise ValueError("Нет такой даты окончания приёма заявок")

    @property
    def spans_new_year(self) -> bool:
        return (self.start_month, self.start_day) > (self.end_month, self.end_day)

    def starting_in(self, year: int) -> Occurrence:
        """The window that opens in ``year``."""
        end_year = year + 1 if self.spans_new_year else year
        return Occurrence(
            datetime.date(year, self.start_month, self.start_day),
            datetime.date(end_year, self.end_month, self.end_day),
        )

    def current(self, today: datetime.date) -> Occurrence | None:
        """The window open on ``today``, if any."""
        for year in (today.year - 1, today.year):
            occurrence = self.starting_in(year)
            if today in occurrence:
                return occurrence
        return None

    def next(self, today: datetime.date) -> Occurrence:
        """The window open on ``today``, or else the next one to open."""
        current = self.current(today)
        if current is not None:
            return current
        for year in (today.year, today.year + 1):
            occurrence = self.starting_in(year)
            if occurrence.opens > today:
                return occurrence
        raise AssertionError("unreachable: a window opens every year")
