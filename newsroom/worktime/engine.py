"""Deadline arithmetic in working and calendar time.

Conventions (all of them apply to :class:`WorkingTime`):

* every instant passed in must be timezone-aware (otherwise :class:`ValueError`); every result
  is returned in the organisation's time zone ``tz``;
* working time is the union of the schedule's intervals on the calendar's working days, in the
  organisation's local time; an interval is half-open, ``[start, end)``;
* ``CALENDAR_MINUTES`` and ``CALENDAR_HOURS`` are elapsed (physical) time; ``CALENDAR_DAYS``
  keeps the local wall-clock time («30 календарных дней» from 10:15 ends at 10:15);
* ``WORKING_MINUTES`` and ``WORKING_HOURS``: the earliest instant by which that much working
  time has passed since the start; time outside the working intervals does not count, so a
  message received on Saturday is counted from Monday's opening, and a result may be exactly
  the end of an interval (18:00, 13:00) but never lies inside a break or a day off;
* ``WORKING_DAYS`` («в течение N рабочих дней со дня D»): the close (end of the last working
  interval, shortened if the day is shortened) of the N-th working day after the start's local
  date D, D itself not counted; a working day is a date with working intervals;
* a negative amount goes backwards: for working minutes/hours, the latest instant such that
  that much working time lies between it and the given instant («за 4 рабочих часа до истечения
  срока»); for working days, the close of the N-th working day before D; calendar units are
  plain arithmetic;
* a zero amount returns the start itself (in ``tz``), even outside working time.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, tzinfo

from .calendar import ProductionCalendar
from .schedule import WeeklySchedule

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
# A search for working time gives up after this many consecutive days without any.
_MAX_IDLE_DAYS = 400

Interval = tuple[datetime, datetime]


class Unit(enum.Enum):
    """Unit of a deadline amount."""

    CALENDAR_MINUTES = "calendar_minutes"
    CALENDAR_HOURS = "calendar_hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_MINUTES = "working_minutes"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


_MINUTES = {
    Unit.CALENDAR_MINUTES: 1,
    Unit.CALENDAR_HOURS: 60,
    Unit.WORKING_MINUTES: 1,
    Unit.WORKING_HOURS: 60,
}


def _no_working_time(day: date) -> ValueError:
    return ValueError(
        f"Рабочее время не найдено в течение {_MAX_IDLE_DAYS} дней от {day:%d.%m.%Y}: "
        "проверьте расписание и производственный календарь"
    )


class WorkingTime:
    """Working-time engine for one organisation: schedule + production calendar + time zone.

    Working intervals are computed once per date and cached (as UTC instants), so repeated
    deadline computations cost a few dictionary lookups per day crossed.
    """

    def __init__(self, schedule: WeeklySchedule, calendar: ProductionCalendar, tz: tzinfo):
        if not isinstance(tz, tzinfo):
            raise TypeError("tz — часовой пояс организации, например ZoneInfo('Europe/Moscow')")
        self.schedule = schedule
        self.calendar = calendar
        self.tz = tz
        self._days: dict[date, tuple[tuple[Interval, ...], timedelta]] = {}

    # -- per-date working intervals ----------------------------------------------------------

    def _day(self, day: date) -> tuple[tuple[Interval, ...], timedelta]:
        """The working intervals of a local date as UTC instants, and their total length."""
        cached = self._days.get(day)
        if cached is not None:
            return cached
        offsets: tuple = ()
        if self.calendar.is_working_day(day):
            weekday = day.weekday()
            if weekday >= 5 and not self.schedule.intervals(weekday):
                weekday = self.schedule.working_weekend_as
            offsets = self.schedule.intervals(weekday, shortened=self.calendar.is_shortened(day))
        midnight = datetime(day.year, day.month, day.day)
        intervals: list[Interval] = []
        floor = None
        for start, end in offsets:
            # Wall-clock times to instants; a DST gap may break the order, so keep it monotonic.
            begin = (midnight + start).replace(tzinfo=self.tz).astimezone(UTC)
            finish = (midnight + end).replace(tzinfo=self.tz).astimezone(UTC)
            if floor is not None:
                begin, finish = max(begin, floor), max(finish, floor)
            if begin < finish:
                intervals.append((begin, finish))
            floor = finish
        total = sum((finish - begin for begin, finish in intervals), _ZERO)
        cached = self._days[day] = (tuple(intervals), total)
        return cached

    def _split(self, instant: datetime, name: str) -> tuple[datetime, date]:
        """The instant in UTC and its local date; rejects naive datetimes."""
        if not isinstance(instant, datetime):
            raise TypeError(f"{name}: ожидается datetime, получено {type(instant).__name__}")
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(
                f"{name}: дата и время должны быть с часовым поясом (aware datetime), "
                f"получено {instant.isoformat()}"
            )
        return instant.astimezone(UTC), instant.astimezone(self.tz).date()

    # -- public API --------------------------------------------------------------------------

    def add(self, start: datetime, amount: int, unit: Unit) -> datetime:
        """The deadline ``amount`` units after ``start`` (before it if negative)."""
        if not isinstance(unit, Unit):
            raise TypeError(f"unit: ожидается Unit, получено {unit!r}")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"amount: ожидается целое число, получено {amount!r}")
        moment, day = self._split(start, "start")
        if amount == 0:
            return moment.astimezone(self.tz)
        if unit is Unit.CALENDAR_DAYS:
            local = start.astimezone(self.tz) + timedelta(days=amount)  # wall-clock arithmetic
            return local.astimezone(UTC).astimezone(self.tz)
        if unit is Unit.WORKING_DAYS:
            return self._close_of_working_day(day, amount).astimezone(self.tz)
        span = timedelta(minutes=amount * _MINUTES[unit])
        if unit in (Unit.CALENDAR_MINUTES, Unit.CALENDAR_HOURS):
            return (moment + span).astimezone(self.tz)
        if amount > 0:
            return self._forward(moment, day, span).astimezone(self.tz)
        return self._backward(moment, day, -span).astimezone(self.tz)

    def off_day_moved(self, deadline: datetime, *, forward: bool) -> datetime:
        """A deadline whose day has no working time, moved to the close of the preceding working
        day (or, ``forward``, of the next one); a deadline on a working day stays as it is.

        Terms in calendar days end on whatever day they reach; the regulations move such an end
        off a weekend or holiday (ГК РФ, ст. 193, moves it forward; municipal regulations on
        appeals usually move it back, so that the answer is not late for the author).
        """
        local = deadline.astimezone(self.tz)
        if self._day(local.date())[0]:
            return local
        return self._close_of_working_day(local.date(), 1 if forward else -1).astimezone(self.tz)

    def subtract(self, end: datetime, amount: int, unit: Unit) -> datetime:
        """``add(end, -amount, unit)``: e.g. the instant 4 working hours before a deadline."""
        return self.add(end, -amount, unit)

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Working time in ``[a, b)``; negative if ``b`` is before ``a``."""
        start, first = self._split(a, "a")
        end, last = self._split(b, "b")
        if end < start:
            return -self.between(b, a)
        total = _ZERO
        day = first
        while day <= last:
            intervals, length = self._day(day)
            if intervals and start <= intervals[0][0] and intervals[-1][1] <= end:
                total += length
            else:
                for begin, finish in intervals:
                    low = begin if begin > start else start
                    high = finish if finish < end else end
                    if high > low:
                        total += high - low
            day += _ONE_DAY
        return total

    def is_working(self, instant: datetime) -> bool:
        """Whether ``instant`` lies inside a working interval (start included, end excluded)."""
        moment, day = self._split(instant, "instant")
        return any(begin <= moment < finish for begin, finish in self._day(day)[0])

    def next_working_instant(self, instant: datetime) -> datetime:
        """``instant`` itself if it is working time, otherwise the next opening."""
        moment, day = self._split(instant, "instant")
        for _ in range(_MAX_IDLE_DAYS):
            for begin, finish in self._day(day)[0]:
                if moment < finish:
                    return max(begin, moment).astimezone(self.tz)
            day += _ONE_DAY
        raise _no_working_time(day)

    # -- walking the days --------------------------------------------------------------------

    def _forward(self, moment: datetime, day: date, remaining: timedelta) -> datetime:
        idle = 0
        while True:
            intervals, length = self._day(day)
            if not intervals or moment <= intervals[0][0]:  # the whole day is ahead
                if remaining > length:
                    remaining -= length
                    idle = 0 if length else idle + 1
                    if idle > _MAX_IDLE_DAYS:
                        raise _no_working_time(day)
                    day += _ONE_DAY
                    continue
            for begin, finish in intervals:
                if finish <= moment:
                    continue
                begin = begin if begin > moment else moment
                available = finish - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += _ONE_DAY

    def _backward(self, moment: datetime, day: date, remaining: timedelta) -> datetime:
        idle = 0
        while True:
            intervals, length = self._day(day)
            if not intervals or moment >= intervals[-1][1]:  # the whole day is behind
                if remaining > length:
                    remaining -= length
                    idle = 0 if length else idle + 1
                    if idle > _MAX_IDLE_DAYS:
                        raise _no_working_time(day)
                    day -= _ONE_DAY
                    continue
            for begin, finish in reversed(intervals):
                if begin >= moment:
                    continue
                finish = finish if finish < moment else moment
                available = finish - begin
                if remaining <= available:
                    return finish - remaining
                remaining -= available
            day -= _ONE_DAY

    def _close_of_working_day(self, day: date, count: int) -> datetime:
        step = _ONE_DAY if count > 0 else -_ONE_DAY
        left, idle = abs(count), 0
        while True:
            day += step
            intervals = self._day(day)[0]
            if intervals:
                left, idle = left - 1, 0
                if not left:
                    return intervals[-1][1]
            else:
                idle += 1
                if idle > _MAX_IDLE_DAYS:
                    raise _no_working_time(day)
