"""The organisation a screen or a message speaks for: its settings, its time zone, and moments
written the way its people read them."""

import zoneinfo

from django.utils import timezone

from wagtail.models import Site

#: How a moment is written on screens, in e-mails and in exported files.
DATETIME_FORMAT = "%d.%m.%Y %H:%M"
DATE_FORMAT = "%d.%m.%Y"


def organisation_settings():
    from newsroom.models import OrganisationSettings

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return OrganisationSettings()
    return OrganisationSettings.for_site(site)


def organisation_zone(settings=None):
    """The zone the organisation works in (its settings), else the ``TIME_ZONE`` setting."""
    settings = settings or organisation_settings()
    try:
        return zoneinfo.ZoneInfo(settings.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.get_default_timezone()


def local_datetime(moment, zone=None):
    """``ДД.ММ.ГГГГ ЧЧ:ММ`` in ``zone`` (the active time zone unless given); "" for no moment."""
    if moment is None:
        return ""
    return timezone.localtime(moment, zone).strftime(DATETIME_FORMAT)
