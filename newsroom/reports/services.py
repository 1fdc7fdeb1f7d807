"""The monthly analysis for the organisation: its period in its zone, its letterhead, its files."""

from django.utils import timezone

from newsroom.organisation import organisation_settings, organisation_zone
from newsroom.reports import charts, exports, monthly
from newsroom.reports.report_charts import charts_of


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
    """``[(key, title, svg)]`` in the order the report shows them."""
    return [(key, chart.title, charts.svg(chart)) for key, chart in charts_of(report)]


def zone():
    return organisation_zone()
