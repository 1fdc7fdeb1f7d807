"""The monthly analysis for the organisation: its period in its zone, its letterhead, its files."""

import hashlib

from django.core.cache import cache
from django.utils import timezone

from newsroom.organisation import organisation_settings, organisation_zone
from newsroom.reports import charts, exports, monthly
from newsroom.reports.report_charts import charts_of

CHART_CACHE_SECONDS = 3600


def letterhead(settings=None):
    settings = settings or organisation_settings()
    return exports.Letterhead(
        organisation=settings.name or "Администрация",
        address=settings.address,
        signatory_position=settings.report_signatory_position,
        signatory_name=settings.report_signatory_name,
    )


def build(period, *, now=None, settings=None):
    settings = settings or organisation_settings()
    return monthly.build(period, now=now or timezone.now(), organisation=settings.name)


def svg_charts(report):
    """``[(key, title, svg)]``; a chart with the same figures is drawn once and then remembered."""
    drawn = []
    for key, chart in charts_of(report):
        digest = hashlib.sha256(repr(chart).encode()).hexdigest()[:32]
        cache_key = f"newsroom:report-chart:{digest}"
        image = cache.get(cache_key)
        if image is None:
            image = charts.svg(chart)
            cache.set(cache_key, image, CHART_CACHE_SECONDS)
        drawn.append((key, chart.title, image))
    return drawn


def zone():
    return organisation_zone()
