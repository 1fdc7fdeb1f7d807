"""Each step of a case records when its stage was done and the working minutes it took; a return
records a rework with what the R12 checklist found missing; registration reads the address."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest

from newsroom.casework.services import cases
from newsroom.casework.services.answers import start_answer
from newsroom.models import CaseRework
from newsroom.organisation import organisation_settings
from tests.factories import DepartmentFactory, UserFactory

MSK = ZoneInfo("Europe/Moscow")
pytestmark = pytest.mark.django_db


def at(hour, minute=0):
    return datetime.datetime(2026, 11, 2, hour, minute, tzinfo=MSK)  # a Monday


@pytest.fixture
def people(site_tree):
    settings = organisation_settings()
    settings.time_zone = "Europe/Moscow"
    settings.workday_start, settings.workday_end = datetime.time(9), datetime.time(18)
    settings.break_start, settings.break_end = datetime.time(13), datetime.time(14)
    settings.save()
    unit = DepartmentFactory(name="Комитет по ЖКХ", short_name="КЖКХ", slug="kzhkh")
    return {
        "curator": UserFactory(username="curator", groups=["Кураторы"]),
        "editor": UserFactory(username="editor", groups=["Редакторы"]),
        "executor": UserFactory(username="executor", groups=["Исполнители", unit.group_name]),
    }


def stepper(case_id):
    def step(moment, action, user, **params):
        with mock.patch.object(timezone, "now", return_value=moment):
            return cases.apply(case_id, action, user, **params)

    return step


def test_a_case_walked_through_every_stage(people):
    case, _ = cases.register_case(
        {
            "network": "vk",
            "text": "На ул. Ленина, 5 третий день нет воды",
            "detected_at": at(9),
            "author_id": "id1",
        },
        source="test",
    )
    case_id = case.pk
    step = stepper(case_id)
    assert case.place == "ул. Ленина, 5"
    case = step(at(10, 30), "route", people["curator"], executor=people["executor"])
    assert (case.routed_at, case.routing_minutes) == (at(10, 30), 90)
    with mock.patch.object(timezone, "now", return_value=at(11)):
        answer = start_answer(case_id, people["executor"])
    answer.text = "Проверим."
    answer.save_revision(user=people["executor"])
    case = step(at(14, 30), "submit_draft", people["executor"])
    assert (case.draft_submitted_at, case.draft_minutes) == (at(14, 30), 180)  # less the break
    step(at(15), "press_return", people["editor"], comment="Нет срока")
    rework = CaseRework.objects.get(case_id=case_id)
    assert rework.stage == "press" and rework.comment == "Нет срока"
    assert {"terms", "evidence"} <= set(rework.missing)
    assert rework.due is not None and rework.done_at is None
    answer.text = "Водопровод починили 2 ноября, вода есть."
    answer.save_revision(user=people["executor"])
    case = step(at(16), "submit_draft", people["executor"])
    rework.refresh_from_db()
    assert (rework.done_at, rework.minutes) == (at(16), 60)
    assert case.draft_submitted_at == at(14, 30)  # the first draft counts for the draft stage
    case = step(at(16, 30), "press_approve", people["editor"])
    assert (case.forwarded_at, case.forward_minutes) == (at(16, 30), 120)
    step(at(17), "curator_approve", people["curator"])
    answer.save_revision(user=people["curator"]).publish()
    case = step(at(17, 30), "post_answer", people["executor"], answer_url="https://vk.com/w?r=1")
    assert case.answer_minutes == 450  # 09:00 → 17:30 less the break
    assert case.final_minutes is None
