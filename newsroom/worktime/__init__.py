"""Working-time engine: deadlines for citizens' messages in working and calendar time.

A plain Python package (no Django). Typical use::

    from zoneinfo import ZoneInfo
    from newsroom.worktime import ProductionCalendar, Unit, WeeklySchedule, WorkingTime

    clock = WorkingTime(WeeklySchedule.default(), ProductionCalendar(), ZoneInfo("Europe/Moscow"))
    deadline = clock.add(received_at, 8, Unit.WORKING_HOURS)
    reminder = clock.subtract(deadline, 4, Unit.WORKING_HOURS)

The conventions are described in the modules: :mod:`.schedule` (weekly intervals, shortened
days), :mod:`.calendar` (production calendar), :mod:`.engine` (deadline arithmetic).
"""

from .calendar import (
    OFFICIAL_SHORTENED_DAYS,
    PUBLIC_HOLIDAYS,
    SHORTENED_DAYS_2025,
    SHORTENED_DAYS_2026,
    ProductionCalendar,
)
from .engine import Unit, WorkingTime
from .schedule import WeeklySchedule

__all__ = [
    "OFFICIAL_SHORTENED_DAYS",
    "PUBLIC_HOLIDAYS",
    "SHORTENED_DAYS_2025",
    "SHORTENED_DAYS_2026",
    "ProductionCalendar",
    "Unit",
    "WeeklySchedule",
    "WorkingTime",
]
