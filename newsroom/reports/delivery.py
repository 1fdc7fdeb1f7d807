"""The monthly analysis sent on the first working day of the month (seed 002 p.13), once.

A django-q2 schedule calls ``send_monthly_report`` every hour. It sends when, in the organisation's
zone, today is the month's first working day by its production calendar and the working day has
begun, to the addresses in the organisation settings. The delivery row of that month is taken
under a lock: two workers, or a worker restarted after sending, never send it twice; a failed
send leaves no row, so the next hour tries again.
"""

import logging
from datetime import date, datetime, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from newsroom.clock import organisation_clock
from newsroom.models import MonthlyReportDelivery
from newsroom.organisation import organisation_settings, organisation_zone
from newsroom.reports import exports, services
from newsroom.reports.period import Period

logger = logging.getLogger(__name__)


def first_working_day(calendar, year: int, month: int) -> date:
    day = date(year, month, 1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def due_period(now: datetime, settings) -> Period | None:
    """The closed month to send now, or None when today is not the day (or it is too early)."""
    zone = organisation_zone(settings)
    local = now.astimezone(zone)
    calendar = organisation_clock(settings).calendar
    if local.date() != first_working_day(calendar, local.year, local.month):
        return None
    if local.time() < settings.workday_start:
        return None
    return Period.last_closed_month(now, zone)


def send_monthly_report(now=None):
    """Sends last month's analysis if it is due and not yet sent; returns the delivery or None."""
    now = now or timezone.now()
    settings = organisation_settings()
    if settings.pk is None:
        return None
    recipients = settings.report_recipient_list()
    period = due_period(now, settings)
    if period is None or not recipients:
        return None
    with transaction.atomic():
        delivery, _ = MonthlyReportDelivery.objects.get_or_create(
            site_id=settings.site_id, month=period.first
        )
        delivery = MonthlyReportDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.sent_at is not None:
            return None
        report = services.build(period, now=now, settings=settings)
        head = services.letterhead(settings)
        title = exports.title_of(report)
        message = EmailMessage(
            subject=title,
            body=(
                f"{title}.\n\n"
                + "\n".join(exports.summary_lines(report))
                + "\n\nОтчёт для подписи — во вложении (DOCX), таблицы — в XLSX."
            ),
            to=recipients,
        )
        message.attach(
            exports.file_name(report, "docx"), exports.docx_bytes(report, head), exports.DOCX_TYPE
        )
        message.attach(
            exports.file_name(report, "xlsx"), exports.xlsx_bytes(report, head), exports.XLSX_TYPE
        )
        message.send(fail_silently=False)
        delivery.recipients = "\n".join(recipients)
        delivery.sent_at = now
        delivery.save(update_fields=["recipients", "sent_at"])
    # The addresses are kept on the delivery row; the log says how many (no personal data).
    logger.info("monthly report for %s sent to %d recipient(s)", period.key, len(recipients))
    return delivery
