"""The yearly cycle: cards end on 31 December (the daily job logs it once), December reminders
go once per journalist, and the schedules exist after migrate."""

import datetime

from django.core import mail

import pytest
from django_q.models import Schedule

from accreditation import tasks
from accreditation.models import CardState, DecisionAction
from accreditation.services import cycle
from tests.accreditation.factories import (
    AccreditationFactory,
    ApplicationFactory,
    JournalistFactory,
)

pytestmark = pytest.mark.django_db


def card(page, year, email="ivanova@example.ru"):
    application = ApplicationFactory(page=page, year=year, status="approved")
    journalist = JournalistFactory(application=application, email=email, decision="approved")
    return AccreditationFactory(journalist=journalist, year=year)


def test_cards_expire_after_31_december_and_it_is_logged_once(page):
    old = card(page, 2026)
    assert old.state(datetime.date(2026, 12, 31)) == CardState.VALID
    assert old.state(datetime.date(2027, 1, 1)) == CardState.EXPIRED
    assert cycle.expire(datetime.date(2026, 12, 31)) == 0
    assert cycle.expire(datetime.date(2027, 1, 1)) == 1
    assert cycle.expire(datetime.date(2027, 1, 2)) == 0
    old.refresh_from_db()
    assert old.expired_at is not None
    log = old.journalist.application.log.filter(action=DecisionAction.EXPIRED)
    assert log.count() == 1 and "31.12.2026" in log.get().comment


def test_december_reminders_go_once_and_not_to_those_who_applied(page):
    reminded = card(page, 2026, "first@example.ru")
    card(page, 2026, "already@example.ru")
    next_year = ApplicationFactory(page=page, year=2027)
    JournalistFactory(application=next_year, email="already@example.ru")
    assert cycle.remind(datetime.date(2026, 11, 30)) == 0
    assert cycle.remind(datetime.date(2026, 12, 1)) == 1
    assert [m.to for m in mail.outbox] == [["first@example.ru"]]
    assert "2027" in mail.outbox[0].subject
    assert "https://press.example.ru/accreditation/" in mail.outbox[0].body
    assert cycle.remind(datetime.date(2026, 12, 2)) == 0
    assert len(mail.outbox) == 1
    reminded.refresh_from_db()
    assert reminded.reminded_at is not None


def test_the_schedules_are_created_by_function_name(db):
    Schedule.objects.filter(func__startswith="accreditation.").delete()
    tasks.ensure_schedules()
    tasks.ensure_schedules()  # idempotent
    minutes = dict(
        Schedule.objects.filter(func__startswith="accreditation.").values_list("func", "minutes")
    )
    assert minutes == {
        "accreditation.tasks.expire_accreditations": 1440,
        "accreditation.tasks.remind_to_reapply": 1440,
        "accreditation.tasks.apply_retention": 1440,
        "accreditation.tasks.deliver_announcements": 1,
    }
    assert set(
        Schedule.objects.filter(func__startswith="accreditation.").values_list("repeats", flat=True)
    ) == {-1}
