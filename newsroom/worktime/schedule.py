"""Weekly working schedule: the working intervals of each weekday.

Conventions:

* weekdays are numbered as in :meth:`datetime.date.weekday`: 0 = Monday … 6 = Sunday;
* an interval is a pair of naive :class:`datetime.time` values in the organisation's local
  (wall-clock) time, half-open: ``(09:00, 13:00)`` covers 09:00 inclusive to 13:00 exclusive;
  an end of ``00:00`` means midnight at the end of the day;
* the intervals of a day are ordered, do not overlap and each starts before it ends
  (touching intervals such as ``(09:00, 13:00), (13:00, 18:00)`` are allowed);
* a shortened (pre-holiday) day ends ``shortened_by`` earlier: the time is cut from the end of
  the day's last intervals (Labour Code art. 95: one hour);
* which dates are worked at all is the production calendar's business
  (:class:`~newsroom.worktime.calendar.ProductionCalendar`); a working Saturday or Sunday
  declared by the calendar uses the intervals of ``working_weekend_as`` (Monday by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time, timedelta

Interval = tuple[time, time]

_DAY = timedelta(days=1)
_WEEKDAY_NAMES = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


def _offset(value: time) -> timedelta:
    return timedelta(
        hours=value.hour,
        minutes=value.minute,
        seconds=value.second,
        microseconds=value.microsecond,
    )


def _label(interval: Interval) -> str:
    start, end = interval
    return f"{start:%H:%M}–{end:%H:%M}"


def _normalise_day(weekday: int, intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    day = tuple((start, end) for start, end in intervals)
    name = _WEEKDAY_NAMES[weekday]
    previous_begin = previous_end = timedelta(0)
    for index, (start, end) in enumerate(day):
        if not isinstance(start, time) or not isinstance(end, time):
            raise ValueError(f"Интервал рабочего времени ({name}) задаётся парой time: {start!r}")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"Время интервала ({name}) указывается без часового пояса")
        begin, finish = _offset(start), _offset(end) or _DAY
        if begin >= finish:
            raise ValueError(
                f"Начало интервала рабочего времени должно быть раньше конца ({name}): "
                f"{_label((start, end))}"
            )
        if index and begin < previous_end:
            problem = "не упорядочены" if finish <= previous_begin else "пересекаются"
            raise ValueError(
                f"Интервалы рабочего времени {problem}: "
                f"{name} {_label(day[index - 1])} и {_label((start, end))}"
            )
        previous_begin, previous_end = begin, finish
    return day


@dataclass(frozen=True)
class WeeklySchedule:
    """Working intervals of each weekday plus the pre-holiday shortening.

    ``days`` maps a weekday (0 = Monday … 6 = Sunday) to its intervals; a missing weekday is a
    day without working time. It may also be given as a sequence of seven interval lists.
    Invalid intervals raise :class:`ValueError` with a Russian message.
    """

    days: Mapping[int, Sequence[Interval]] | Sequence[Sequence[Interval]]
    shortened_by: timedelta = timedelta(hours=1)
    working_weekend_as: int = 0
    _offsets: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        source = self.days if isinstance(self.days, Mapping) else dict(enumerate(self.days))
        unknown = sorted(set(source) - set(range(7)))
        if unknown:
            raise ValueError(f"Дни недели нумеруются от 0 (пн) до 6 (вс), получено: {unknown}")
        if self.working_weekend_as not in range(7):
            raise ValueError("working_weekend_as — день недели от 0 (пн) до 6 (вс)")
        if self.shortened_by < timedelta(0):
            raise ValueError("Сокращение предпраздничного дня не может быть отрицательным")
        days = tuple(_normalise_day(weekday, source.get(weekday, ())) for weekday in range(7))
        offsets = tuple(
            tuple((_offset(start), _offset(end) or _DAY) for start, end in day) for day in days
        )
        if not any(offsets):
            raise ValueError("В расписании нет ни одного рабочего интервала")
        for weekday, day in enumerate(offsets):
            length = sum((end - start for start, end in day), timedelta(0))
            if day and length <= self.shortened_by:
                raise ValueError(
                    f"Сокращение предпраздничного дня ({self.shortened_by}) не меньше "
                    f"продолжительности рабочего дня ({_WEEKDAY_NAMES[weekday]}: {length})"
                )
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "_offsets", offsets)

    @classmethod
    def default(cls) -> WeeklySchedule:
        """Mon–Fri 09:00–18:00 with a break 13:00–14:00 (40 h a week); a shortened day ends
        at 17:00."""
        working_day = [(time(9), time(13)), (time(14), time(18))]
        return cls(dict.fromkeys(range(5), working_day))

    def intervals(
        self, weekday: int, *, shortened: bool = False
    ) -> tuple[tuple[timedelta, timedelta], ...]:
        """The intervals of ``weekday`` as offsets from local midnight, ``shortened`` applied."""
        day = self._offsets[weekday]
        if not shortened or not self.shortened_by:
            return day
        cut = self.shortened_by
        result = list(day)
        while cut:
            start, end = result.pop()
            if end - start > cut:
                result.append((start, end - cut))
                break
            cut -= end - start
        return tuple(result)
