"""A surge of messages on one topic or address is reported at once — once per surge."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

import pytest

from newsroom.casework.services import cases as case_service
from newsroom.clock import profile_for
from newsroom.models import Case, CaseNotification, SurgeAlert
from newsroom.organisation import organisation_settings
from newsroom.reports import surges
from tests.factories import UserFactory
from tests.newsroom.casework.factories import CaseFactory

MSK = ZoneInfo("Europe/Moscow")
pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 10, 9, 0, tzinfo=MSK)


@pytest.fixture
def curator(site_tree):
    settings = organisation_settings()
    settings.head_email = "glava@example.ru"
    settings.save()
    profile = profile_for(Case(kind="incident"), settings)
    profile.surge_threshold = 3
    profile.surge_window_hours = 24
    profile.save()
    return UserFactory(username="surge-curator", groups=["Кураторы"], email="c@example.ru")


def message(at, **fields):
    fields.setdefault("category", "Водоснабжение")
    return CaseFactory(detected_at=at, **fields)


def run(case, capture):
    with capture(execute=True):
        return surges.check(case.pk)


def test_the_threshold_raises_one_alert_and_later_messages_join_it(
    curator, django_capture_on_commit_callbacks
):
    first = message(START)
    assert run(first, django_capture_on_commit_callbacks) == []
    assert run(message(START + timedelta(hours=2)), django_capture_on_commit_callbacks) == []
    third = message(START + timedelta(hours=5))
    (alert,) = run(third, django_capture_on_commit_callbacks)
    assert (alert.key_kind, alert.key, alert.count) == ("topic", "Водоснабжение", 3)
    assert alert.started_at == START
    head_mail = [m for m in mail.outbox if m.to == ["glava@example.ru"]]
    assert len(head_mail) == 1
    assert "Всплеск: 3 сообщения по тематике «Водоснабжение» за 24 ч" in head_mail[0].body
    notes = CaseNotification.objects.filter(recipient=curator, kind=f"surge:{alert.pk}")
    assert notes.count() == 1
    # Two more within the window: the same surge, nobody told again.
    for hours in (7, 20):
        assert (
            run(message(START + timedelta(hours=hours)), django_capture_on_commit_callbacks) == []
        )
    alert.refresh_from_db()
    assert alert.count == 5 and SurgeAlert.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == ["glava@example.ru"]]) == 1
    # A quiet day and three more: a new surge, told once more.
    later = START + timedelta(hours=60)
    raised = []
    for hours in (0, 1, 2):
        raised += run(message(later + timedelta(hours=hours)), django_capture_on_commit_callbacks)
    assert len(raised) == 1 and SurgeAlert.objects.count() == 2
    assert len([m for m in mail.outbox if m.to == ["glava@example.ru"]]) == 2


def test_an_address_is_a_key_of_its_own(curator, django_capture_on_commit_callbacks):
    for hours in range(3):
        case = message(START + timedelta(hours=hours), category="", place="ул. Ленина, 5")
        raised = run(case, django_capture_on_commit_callbacks)
    (alert,) = raised
    assert (alert.key_kind, alert.key) == ("place", "ул. Ленина, 5")
    assert "по адресу «ул. Ленина, 5»" in mail.outbox[-1].body


def test_messages_spread_wider_than_the_window_are_no_surge(
    curator, django_capture_on_commit_callbacks
):
    for hours in (0, 20, 40, 60):
        assert (
            run(message(START + timedelta(hours=hours)), django_capture_on_commit_callbacks) == []
        )
    assert not SurgeAlert.objects.exists()


def test_no_threshold_no_watching(site_tree, django_capture_on_commit_callbacks):
    for hours in range(5):
        assert (
            run(message(START + timedelta(hours=hours)), django_capture_on_commit_callbacks) == []
        )


def test_registration_queues_the_count(curator, django_capture_on_commit_callbacks):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            case_service.register_case(
                {
                    "network": "vk",
                    "text": f"Нет воды на ул. Мира, 7 — сообщение {n}",
                    "detected_at": START + timedelta(minutes=n),
                    "author_id": f"id{n}",
                },
                source="test",
            )
    (alert,) = SurgeAlert.objects.all()
    assert (alert.key_kind, alert.key, alert.count) == ("place", "ул. Мира, 7", 3)
