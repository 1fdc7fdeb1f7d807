"""Russian production calendar (five-day week): working days and shortened pre-holiday days.

Sources, in order of precedence:

1. explicit overrides passed to :class:`ProductionCalendar` — ``extra_days_off`` (e.g. a
   regional holiday), ``extra_working_days``, ``shortened_days``;
2. the ``holidays`` library's Russia calendar: the non-working public holidays (Labour Code
   art. 112), the days off moved from weekends by Government decrees and the weekend days made
   working by them (``weekend_workdays``); years are loaded lazily and cached;
3. Saturday and Sunday are days off, Monday–Friday are working days.

A working day is *shortened* (Labour Code art. 95: one hour less) when it is in
``shortened_days``; otherwise, for a year with an official list in ``official_shortened_days``
(by default 2025 and 2026), when it is in that list; otherwise by the rule: the working day
immediately before a non-working public holiday, and a working Saturday/Sunday whose day off
was moved to the day immediately before a public holiday (e.g. 1 November 2025, which stands in
for 3 November). Regional days off from ``extra_days_off`` do not shorten the previous day; list
such days in ``shortened_days`` if needed.

For years without a Government decree on moved days off (as a rule, more than a year ahead) the
library's calendar is provisional; correct it with the overrides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# Non-working public holidays, Labour Code art. 112 (as amended in 2012): (month, day).
PUBLIC_HOLIDAYS = frozenset(
    [(1, day) for day in range(1, 9)] + [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)]
)

# Shortened days from the official production calendars (Ministry of Labour).
SHORTENED_DAYS_2025 = frozenset(
    {date(2025, 3, 7), date(2025, 4, 30), date(2025, 6, 11), date(2025, 11, 1)}
)
SHORTENED_DAYS_2026 = frozenset(
    {date(2026, 4, 30), date(2026, 5, 8), date(2026, 6, 11), date(2026, 11, 3)}
)
OFFICIAL_SHORTENED_DAYS: Mapping[int, frozenset[date]] = {
    2025: SHORTENED_DAYS_2025,
    2026: SHORTENED_DAYS_2026,
}

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class _Year:
    days_off: frozenset[date]
    working_weekends: frozenset[date]
    # A working weekend day -> the days off that were moved from it.
    moved_to: Mapping[date, tuple[date, ...]]


def _moved_days_off(year: int) -> list[tuple[date, date]]:
    """(working weekend day, the day off moved from it) pairs declared for ``year``."""
    from holidays.countries import russia  # the decrees' table lives here

    table = getattr(russia.RussiaStaticHolidays, "special_public_holidays", {})
    entries = table.get(year, ())
    if entries and isinstance(entries[0], int):  # a single entry is stored unwrapped
        entries = (entries,)
    pairs = []
    for entry in entries:
        if len(entry) >= 4 and all(isinstance(part, int) for part in entry[:4]):
            to_month, to_day, from_month, from_day, *from_year = entry
            moved = date(year, to_month, to_day)
            pairs.append((date(from_year[0] if from_year else year, from_month, from_day), moved))
    return pairs


def _load_year(year: int) -> _Year:
    # Neighbouring years too: a decree may move a day across the new year.
    import holidays  # loaded when a year is first needed, not at start-up

    years = range(year - 1, year + 2)
    russia = holidays.country_holidays("RU", years=years)
    moved_to: dict[date, tuple[date, ...]] = {}
    for source_year in years:
        for working, moved in _moved_days_off(source_year):
            if working.year == year:
                moved_to[working] = (*moved_to.get(working, ()), moved)
    return _Year(
        days_off=frozenset(day for day in russia if day.year == year),
        working_weekends=frozenset(day for day in russia.weekend_workdays if day.year == year),
        moved_to=moved_to,
    )


class ProductionCalendar:
    """Answers whether a date is a working day and whether it is shortened.

    All overrides are sets of :class:`datetime.date`; a date may not be both an extra day off
    and an extra working day (:class:`ValueError`).
    """

    def __init__(
        self,
        *,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        shortened_days: Iterable[date] = (),
        official_shortened_days: Mapping[int, Iterable[date]] = OFFICIAL_SHORTENED_DAYS,
    ) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)
        self.shortened_days = frozenset(shortened_days)
        self.official_shortened_days = {
            year: frozenset(days) for year, days in official_shortened_days.items()
        }
        clash = self.extra_days_off & self.extra_working_days
        if clash:
            listed = ", ".join(f"{day:%d.%m.%Y}" for day in sorted(clash))
            raise ValueError(f"Дата указана и как выходной, и как рабочий день: {listed}")
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        data = self._years.get(year)
        if data is None:
            data = self._years[year] = _load_year(year)
        return data

    @staticmethod
    def is_public_holiday(day: date) -> bool:
        """A non-working public holiday of Labour Code art. 112 (not a moved day off)."""
        return (day.month, day.day) in PUBLIC_HOLIDAYS

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day of the five-day week."""
        if day in self.extra_days_off:
            return False
        if day in self.extra_working_days:
            return True
        year = self._year(day.year)
        if day in year.days_off:
            return False
        return day.weekday() < 5 or day in year.working_weekends

    def is_shortened(self, day: date) -> bool:
        """Whether ``day`` is a shortened pre-holiday working day (see the module docstring)."""
        if not self.is_working_day(day):
            return False
        if day in self.shortened_days:
            return True
        official = self.official_shortened_days.get(day.year)
        if official is not None:
            return day in official
        return self._shortened_by_rule(day)

    def _precedes_holiday(self, day: date) -> bool:
        following = day + _ONE_DAY
        return self.is_public_holiday(following) and not self.is_working_day(following)

    def _shortened_by_rule(self, day: date) -> bool:
        if self._precedes_holiday(day):
            return True
        return any(
            not self.is_working_day(moved) and self._precedes_holiday(moved)
            for moved in self._year(day.year).moved_to.get(day, ())
        )
