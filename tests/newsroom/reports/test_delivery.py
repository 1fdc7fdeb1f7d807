"""The monthly analysis goes out on the first working day of the month, once."""

import io
import smtplib
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.core import mail

import pytest
from django_q.models import Schedule
from docx import Document

from newsroom.clock import organisation_clock
from newsroom.models import MonthlyReportDelivery
from newsroom.organisation import organisation_settings
from newsroom.reports import delivery
from newsroom.tasks import ensure_schedules
from tests.newsroom.reports.month import build_month

MSK = ZoneInfo("Europe/Moscow")
pytestmark = pytest.mark.django_db


@pytest.fixture
def recipients(site_tree):
    settings = organisation_settings()
    settings.name = "Администрация Ключевского района"
    settings.time_zone = "Europe/Moscow"
    settings.report_recipients = "deputy@example.ru\n\n glava@example.ru \n"
    settings.save()
    return settings


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def test_sent_once_on_the_first_working_day_after_the_day_begins(recipients, caplog):
    build_month()
    assert delivery.send_monthly_report(at(2026, 12, 1, 8, 30)) is None  # before 09:00
    with caplog.at_level("INFO", logger="newsroom.reports.delivery"):
        sent = delivery.send_monthly_report(at(2026, 12, 1, 10))
    # The log says how many, never who (no personal data in logs).
    assert "sent to 2 recipient(s)" in caplog.text and "@" not in caplog.text
    assert sent is not None and sent.month == date(2026, 11, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["deputy@example.ru", "glava@example.ru"]
    assert message.subject == "Анализ работы с сообщениями граждан за ноябрь 2026 г."
    assert "Выявлено сообщений: 7." in message.body
    names = [name for name, _content, _type in message.attachments]
    assert names == ["analiz-soobshchenij-2026-11.docx", "analiz-soobshchenij-2026-11.xlsx"]
    document = Document(io.BytesIO(message.attachments[0][1]))
    assert any("ноябрь 2026" in p.text for p in document.paragraphs)
    # Later that day, the next day, a restarted worker: nothing more.
    assert delivery.send_monthly_report(at(2026, 12, 1, 11)) is None
    assert delivery.send_monthly_report(at(2026, 12, 2, 10)) is None
    assert len(mail.outbox) == 1
    assert MonthlyReportDelivery.objects.count() == 1


def test_after_the_new_year_holidays_it_waits_for_the_first_working_day(recipients):
    calendar = organisation_clock().calendar
    assert delivery.first_working_day(calendar, 2027, 1) == date(2027, 1, 11)
    assert delivery.send_monthly_report(at(2027, 1, 1, 10)) is None
    assert delivery.send_monthly_report(at(2027, 1, 9, 10)) is None
    sent = delivery.send_monthly_report(at(2027, 1, 11, 9, 5))
    assert sent.month == date(2026, 12, 1)
    assert mail.outbox[0].subject.endswith("декабрь 2026 г.")


def test_a_failed_send_is_tried_again_the_next_hour(recipients):
    with mock.patch.object(
        mail.EmailMessage, "send", side_effect=smtplib.SMTPServerDisconnected("нет связи")
    ):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            delivery.send_monthly_report(at(2026, 12, 1, 10))
    assert not MonthlyReportDelivery.objects.exists()
    assert delivery.send_monthly_report(at(2026, 12, 1, 11)) is not None
    assert len(mail.outbox) == 1


def test_nobody_to_send_to_sends_nothing(site_tree):
    assert delivery.send_monthly_report(at(2026, 12, 1, 10)) is None
    assert not MonthlyReportDelivery.objects.exists()


def test_a_wrong_address_is_explained_in_the_settings(recipients):
    recipients.report_recipients = "deputy@example.ru\nзаместитель главы"
    with pytest.raises(Exception) as error:
        recipients.full_clean()
    assert "Это не адрес электронной почты: заместитель главы." in str(error.value)


def test_the_schedule_runs_hourly():
    ensure_schedules()
    schedule = Schedule.objects.get(func="newsroom.tasks.send_monthly_report")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        Schedule.MINUTES,
        60,
        -1,
    )
