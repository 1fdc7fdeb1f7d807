"""The dates the product accepts anywhere: from 1 January 1900 to 31 December 2100.

A year outside that range is a typing mistake (``01.01.0001``, ``9999``), never a real news date,
event or deadline, and the years at the edge of what Python can hold cannot even be turned into
UTC: ``0001-01-01 00:00`` in Moscow is still year 0 in UTC, and PostgreSQL then stores a moment
that no Python program can read back. So every date field of every form, API and import is held
to this one range (``newsroom.validators.within_date_range``), and a value loaded from an older
revision that lies outside it is dropped instead of breaking the screen that shows it.

Plain Python: no Django import.
"""

from __future__ import annotations

import datetime

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def problem(value: datetime.date | datetime.datetime) -> str | None:
    """Why ``value`` (a date, or a naive or aware moment) cannot be taken, in Russian, or None."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            try:
                value.astimezone(datetime.UTC)
            except (OverflowError, ValueError):
                return _outside(value.year)
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        return None
    if not EARLIEST <= day <= LATEST:
        return _outside(day.year)
    return None


def _outside(year: int) -> str:
    return "Год %d вне допустимого диапазона: укажите дату с %s по %s." % (
        year,
        EARLIEST.strftime("%d.%m.%Y"),
        LATEST.strftime("%d.%m.%Y"),
    )


def is_within(value) -> bool:
    return problem(value) is None
