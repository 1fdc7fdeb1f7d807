"""The organisation's clock: its schedule, time zone and production calendar as a WorkingTime."""

import datetime
import zoneinfo

from django.core.cache import cache

from newsroom.organisation import organisation_settings
from newsroom.worktime import ProductionCalendar, WeeklySchedule, WorkingTime

DEFAULT_MESSAGE_PROFILE = "Ключевский район (2021)"
DEFAULT_APPEAL_PROFILE = "ПОС: обращение по 59-ФЗ"
_CALENDAR_VERSION_KEY = "newsroom:calendar-version"
_local = {}


def schedule_from(settings):
    day = []
    if settings.break_start and settings.break_end:
        day = [
            (settings.workday_start, settings.break_start),
            (settings.break_end, settings.workday_end),
        ]
    else:
        day = [(settings.workday_start, settings.workday_end)]
    return WeeklySchedule(
        dict.fromkeys(range(5), day),
        shortened_by=datetime.timedelta(minutes=settings.shortened_by_minutes),
    )


def calendar_from_overrides():
    from newsroom.models import CalendarOverride, CalendarOverrideKind

    rows = list(CalendarOverride.objects.values_list("date", "kind"))
    return ProductionCalendar(
        extra_days_off={d for d, k in rows if k == CalendarOverrideKind.DAY_OFF},
        extra_working_days={d for d, k in rows if k == CalendarOverrideKind.WORKING_DAY},
        shortened_days={d for d, k in rows if k == CalendarOverrideKind.SHORTENED},
    )


def forget_clock():
    """Called when the schedule or the calendar changes: every process rebuilds its clock."""
    try:
        cache.incr(_CALENDAR_VERSION_KEY)
    except ValueError:
        cache.set(_CALENDAR_VERSION_KEY, 1, timeout=None)


def organisation_clock(settings=None):
    """The organisation's WorkingTime, rebuilt only when its inputs change."""
    settings = settings or organisation_settings()
    version = cache.get(_CALENDAR_VERSION_KEY, 0)
    key = (
        version,
        settings.time_zone,
        settings.workday_start,
        settings.workday_end,
        settings.break_start,
        settings.break_end,
        settings.shortened_by_minutes,
    )
    clock = _local.get(key)
    if clock is None:
        _local.clear()
        clock = WorkingTime(
            schedule_from(settings),
            calendar_from_overrides(),
            zoneinfo.ZoneInfo(settings.time_zone),
        )
        _local[key] = clock
    return clock


def profile_for(case, settings=None):
    """The regulation profile a new case runs under: 59-FZ appeals have their own."""
    from newsroom.models import RegulationProfile

    settings = settings or organisation_settings()
    if case.is_appeal:
        return settings.appeal_profile or RegulationProfile.objects.get(name=DEFAULT_APPEAL_PROFILE)
    return settings.message_profile or RegulationProfile.objects.get(name=DEFAULT_MESSAGE_PROFILE)
