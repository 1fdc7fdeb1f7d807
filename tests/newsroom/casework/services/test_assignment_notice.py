"""The executor learns at once that a case is theirs: an e-mail and a notice in the admin."""

from django.core import mail
from django.utils import timezone

import pytest

from newsroom.casework.services import cases
from newsroom.models import CaseNotification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(site_tree):
    return {
        "curator": UserFactory(username="a-curator", groups=["Кураторы"]),
        "executor": UserFactory(username="a-executor", groups=["Исполнители"]),
        "other": UserFactory(username="a-other", groups=["Исполнители"]),
    }


def register():
    data = {"network": "vk", "text": "Нет воды на улице Мира", "detected_at": timezone.now()}
    return cases.register_case(data, source="test")[0]


def test_routing_tells_the_executor_with_the_deadline(people, django_capture_on_commit_callbacks):
    case = register()
    with django_capture_on_commit_callbacks(execute=True):
        cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    notice = CaseNotification.objects.get(recipient=people["executor"])
    assert notice.kind == "assigned"
    assert "Вам назначено обращение" in notice.message and "до" in notice.message
    assert [m.to for m in mail.outbox] == [["a-executor@example.ru"]]
    assert f"Обращение № {case.pk}" in mail.outbox[0].subject


def test_rerouting_tells_the_new_executor_only_once(people, django_capture_on_commit_callbacks):
    case = register()
    with django_capture_on_commit_callbacks(execute=True):
        cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    with django_capture_on_commit_callbacks(execute=True):
        cases.apply(case.pk, "reroute", people["curator"], executor=people["other"])
    assert CaseNotification.objects.filter(kind="assigned").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a-executor@example.ru", "a-other@example.ru"]


def test_a_notice_for_a_case_rerouted_meanwhile_is_not_sent(people):
    case = register()
    cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    cases.apply(case.pk, "reroute", people["curator"], executor=people["other"])
    # the worker reaches the first notice after the reroute
    assert cases.notify_assigned(case.pk, people["executor"].pk) is False
    assert not CaseNotification.objects.filter(recipient=people["executor"]).exists()
