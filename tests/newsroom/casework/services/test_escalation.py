"""Reminders and escalations: on time, to the right people, once each."""

import datetime

from django.core import mail
from django.utils import timezone

import pytest

from newsroom.casework.services import cases
from newsroom.casework.services.escalation import run_escalations
from newsroom.models import CaseNotification, RegulationProfile
from newsroom.organisation import organisation_settings
from newsroom.tasks import escalate_deadlines
from tests.factories import UserFactory


@pytest.fixture
def people(site_tree):
    return {
        "curator": UserFactory(username="curator", groups=["Кураторы"]),
        "executor": UserFactory(username="executor", groups=["Исполнители"]),
    }


def use_profile(name, **settings_fields):
    settings = organisation_settings()
    settings.message_profile = RegulationProfile.objects.get(name=name)
    for key, value in settings_fields.items():
        setattr(settings, key, value)
    settings.save()


def register(**fields):
    data = {"network": "vk", "text": "Нет воды", "detected_at": timezone.now(), **fields}
    return cases.register_case(data, source="test")[0]


def kinds(user):
    return sorted(CaseNotification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.mark.django_db
def test_executor_is_reminded_an_hour_before_the_draft_is_due_and_only_once(people):
    use_profile("Мясниковский район (2019)")  # calendar hours: easy to place in time
    case = register(received_at=timezone.now())
    cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    case.refresh_from_db()
    moment = case.draft_due - datetime.timedelta(minutes=30)
    assert run_escalations(moment) >= 1
    assert kinds(people["executor"]) == ["draft_soon"]
    assert any("executor@example.ru" in m.to for m in mail.outbox)
    sent_before = len(mail.outbox)
    assert run_escalations(moment + datetime.timedelta(minutes=1)) == 0
    assert len(mail.outbox) == sent_before


@pytest.mark.django_db
def test_no_reminder_too_early(people):
    use_profile("Мясниковский район (2019)")
    case = register(received_at=timezone.now())
    cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    case.refresh_from_db()
    run_escalations(case.draft_due - datetime.timedelta(hours=3))
    assert kinds(people["executor"]) == []


@pytest.mark.django_db
def test_curator_alerted_when_routing_is_late_r4(people):
    use_profile("Мясниковский район (2019)")
    case = register(received_at=timezone.now())
    run_escalations(case.routing_due + datetime.timedelta(minutes=1))
    assert kinds(people["curator"]) == ["routing_late"]


@pytest.mark.django_db
def test_curator_alerted_when_a_draft_is_late(people):
    use_profile("Ключевский район (2021)")
    case = register()
    cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    case.refresh_from_db()
    run_escalations(case.draft_due + datetime.timedelta(minutes=1))
    assert "draft_late" in kinds(people["curator"])


@pytest.mark.django_db
def test_high_importance_incident_reported_to_the_head_at_once_r15(
    people, django_capture_on_commit_callbacks
):
    use_profile("Джумайловское с.п. (2020)", head_email="glava@example.ru")
    with django_capture_on_commit_callbacks(execute=True):
        register(kind="high_importance")
    assert kinds(people["curator"]) == ["high_importance"]
    assert any(m.to == ["glava@example.ru"] for m in mail.outbox)


@pytest.mark.django_db
def test_no_report_to_the_head_where_the_regulation_does_not_ask(
    people, django_capture_on_commit_callbacks
):
    use_profile("Ключевский район (2021)", head_email="glava@example.ru")
    with django_capture_on_commit_callbacks(execute=True):
        register(kind="high_importance")
    assert kinds(people["curator"]) == []
    assert not any(m.to == ["glava@example.ru"] for m in mail.outbox)


@pytest.mark.django_db
def test_the_schedule_runs_every_minute_and_the_task_works(people):
    from django_q.models import Schedule

    assert Schedule.objects.get(func="newsroom.tasks.escalate_deadlines").minutes == 1
    assert escalate_deadlines() == 0


@pytest.mark.django_db
def test_the_head_is_told_even_when_no_curator_is_active(
    site_tree, django_capture_on_commit_callbacks
):
    use_profile("Джумайловское с.п. (2020)", head_email="glava@example.ru")
    with django_capture_on_commit_callbacks(execute=True):
        case = register(kind="high_importance")
    assert [m.to for m in mail.outbox] == [["glava@example.ru"]]
    assert case.events.filter(action="head_alerted").count() == 1
    # a second run (the task retried) does not write to the Head again
    from newsroom.casework.services.escalation import notify_high_importance

    assert notify_high_importance(case) == 0
    assert len(mail.outbox) == 1
