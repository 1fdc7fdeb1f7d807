"""«Согласование ответа»: the answer's Wagtail workflow moves its case along."""

import datetime

from django.utils import timezone

from wagtail.models import Workflow

import pytest

from newsroom.casework.services import cases
from newsroom.casework.services.answers import start_answer
from newsroom.clock import organisation_clock
from newsroom.models import Answer, Case
from tests.factories import UserFactory


@pytest.fixture
def people(site_tree):
    return {
        "curator": UserFactory(username="curator", groups=["Кураторы"]),
        "editor": UserFactory(username="editor", groups=["Редакторы"]),
        "executor": UserFactory(username="executor", groups=["Исполнители"]),
    }


@pytest.fixture
def drafted(people):
    case, _ = cases.register_case(
        {"network": "ok", "text": "Не вывозят мусор", "detected_at": timezone.now()}, source="test"
    )
    cases.apply(case.pk, "route", people["curator"], executor=people["executor"])
    answer = start_answer(case.pk, people["executor"])
    answer.text = "Мусор вывезли 21 ноября, график восстановлен: по вторникам и пятницам."
    answer.save_revision(user=people["executor"])
    return case, answer


def status(case):
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def act(answer, user, action, comment=""):
    answer = Answer.objects.get(pk=answer.pk)
    task_state = answer.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, action, comment=comment)
    return Answer.objects.get(pk=answer.pk)


@pytest.mark.django_db
def test_the_answer_workflow_exists():
    workflow = Workflow.objects.get(name="Согласование ответа")
    tasks = [t.name for t in workflow.tasks]
    assert tasks == ["Проверка пресс-службой", "Согласование куратором"]
    assert Answer.get_default_workflow() == workflow


@pytest.mark.django_db
def test_submission_and_two_approvals_make_the_answer_approved_and_live(drafted, people):
    case, answer = drafted
    assert status(case) == "drafting"
    Answer.get_default_workflow().start(answer, people["executor"])
    assert status(case) == "press_review"
    answer = act(answer, people["editor"], "approve")
    assert status(case) == "curator_review"
    answer = act(answer, people["curator"], "approve")
    assert status(case) == "approved"
    assert answer.live
    assert (
        Case.objects.get(pk=case.pk)
        .events.filter(action="curator_approve", actor=people["curator"])
        .exists()
    )


@pytest.mark.django_db
def test_rejection_returns_the_case_for_rework_with_the_comment(drafted, people):
    case, answer = drafted
    Answer.get_default_workflow().start(answer, people["executor"])
    act(answer, people["editor"], "reject", comment="Нет даты вывоза и фото.")
    assert status(case) == "rework"
    event = Case.objects.get(pk=case.pk).events.get(action="press_return")
    assert event.comment == "Нет даты вывоза и фото."
    # Ключевский район, p.8: the executor has one working hour to rework the answer.
    rework_due = Case.objects.get(pk=case.pk).rework_due
    # The deadline counts from the moment of the decision; the event is written a moment later.
    given = organisation_clock().between(event.created_at, rework_due)
    assert datetime.timedelta(minutes=59, seconds=59) < given <= datetime.timedelta(hours=1)

    # the executor fixes it and sends it again
    answer = Answer.objects.get(pk=answer.pk)
    answer.text += " Фото приложено."
    answer.save_revision(user=people["executor"])
    answer.current_workflow_state.resume(people["executor"])
    assert status(case) == "press_review"


@pytest.mark.django_db
def test_after_the_curators_return_the_answer_goes_back_to_the_curator(drafted, people):
    case, answer = drafted
    Answer.get_default_workflow().start(answer, people["executor"])
    answer = act(answer, people["editor"], "approve")
    act(answer, people["curator"], "reject", comment="Укажите график вывоза.")
    assert status(case) == "rework"
    answer = Answer.objects.get(pk=answer.pk)
    answer.current_workflow_state.resume(people["executor"])
    assert status(case) == "curator_review"
    act(answer, people["curator"], "approve")
    assert status(case) == "approved"


@pytest.mark.django_db
def test_executor_cannot_approve_in_the_workflow(drafted, people):
    case, answer = drafted
    Answer.get_default_workflow().start(answer, people["executor"])
    answer = Answer.objects.get(pk=answer.pk)
    actions = [
        name for name, *_ in answer.current_workflow_task.get_actions(answer, people["executor"])
    ]
    assert "approve" not in actions
    assert status(case) == "press_review"


@pytest.mark.django_db
def test_an_answer_changed_during_the_curators_review_goes_back_to_the_press_office(
    drafted, people
):
    case, answer = drafted
    Answer.get_default_workflow().start(answer, people["executor"])
    answer = act(answer, people["editor"], "approve")
    assert status(case) == "curator_review"
    answer.text += " Добавили фото."
    answer.save_revision(user=people["executor"])
    # The curator's approval is of a revision the press office has not seen: back to it.
    answer = act(answer, people["curator"], "approve")
    assert answer.current_workflow_task.name == "Проверка пресс-службой"
    assert not answer.live
    assert status(case) == "press_review"
    answer = act(answer, people["editor"], "approve")
    answer = act(answer, people["curator"], "approve")
    assert answer.live and status(case) == "approved"
