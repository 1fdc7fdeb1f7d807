"""A citizen's message from intake to the posted answer, in a real browser.

A monitoring system sends the message through the intake API; the curator routes it to an
executor; the executor drafts the answer and submits it to «Согласование ответа»; an editor of the
press office and then the curator approve it; the executor marks it posted. Every step after the
API call goes through the (Russian) admin UI as people see it; the users are made with factories,
the integration and its token with the ``create_api_token`` command.
"""

import datetime
import io
import json
import re
import zoneinfo

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import APIToken, Workflow

import pytest
import requests
from playwright.sync_api import expect

from newsroom import roles
from newsroom.casework.rules.lifecycle import STATUS_LABELS, Status
from newsroom.casework.services import cases as case_service
from newsroom.casework.services.answers import start_answer
from newsroom.models import Answer, Case
from tests.browser.test_newsroom_publication import (
    AWAITING_REVIEW,
    MORE_ACTIONS,
    ROW_ACTIONS,
    log_in,
)
from tests.factories import UserFactory

# The live server runs in another thread: the data must be committed, and the data migrations'
# rows (groups, workflows, regulation profiles) restored after the previous test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANSWER_WORKFLOW = "Согласование ответа"
PRESS_TASK = "Проверка пресс-службой"
CURATOR_TASK = "Согласование куратором"
ZONE = zoneinfo.ZoneInfo("Europe/Moscow")  # the organisation's, as the pages show times

INTEGRATION = "Медиалогия"
INTEGRATION_USER = "integration-medialogiia"  # what create_api_token makes of the name
MESSAGE_TEXT = (
    "Третий день нет холодной воды на улице Садовой, дом 12. "
    "Когда дадут воду? В управляющей компании никто не отвечает."
)
MESSAGE_URL = "https://vk.com/wall-123456_789"
AUTHOR = "Анна Кузнецова"
EXTERNAL_ID = "vk-789"
ANSWER_TEXT = "Воду дали 23 ноября в 15:00, аварию на водопроводе устранили."
POSTED_URL = "https://vk.com/wall-1_100?reply=5"
EXECUTOR_FIRST, EXECUTOR_LAST = "Ольга", "Водопьянова"
EXECUTOR_NAME = f"{EXECUTOR_FIRST} {EXECUTOR_LAST}"

# The admin in Russian, as rendered (Wagtail 8.0.1 and the newsroom's case screens).
CASES_MENU = "Обращения"  # the sidebar submenu
ALL_CASES = "Все обращения"
MY_CASES = "Мои обращения"
EXECUTOR_LABEL = "Исполнитель"  # the select of the route form
ROUTE = "Назначить"
ROUTED_MESSAGE = f"Исполнитель назначен: {EXECUTOR_NAME}."
START_ANSWER = "Начать подготовку ответа"
ANSWER_TEXT_LABEL = "Текст ответа"
SUBMIT_TO_WORKFLOW = f'Отправить в "{ANSWER_WORKFLOW}"'
SUBMITTED_MESSAGE = "был отправлен на модерацию"
APPROVE = "Одобрить"  # exact: «Одобрить с комментарием» is next to it
# With WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT the last task's action is not «… и Опубликовать».
OPEN_ANSWER = "Открыть ответ"  # the link on the case page while the answer is in review
ANSWER_APPROVED = "Согласован и опубликован"  # the answer's state in the case page's «Ответы»
POSTED_URL_LABEL = "Ссылка на размещённый ответ"
POST_ANSWER = "Ответ размещён"  # the button of the post-answer form
POSTED_MESSAGE = "Ответ отмечен размещённым."
CLOSED = "Закрыто"
OVERDUE = "Просрочено"
ANSWER_DUE = "Ответить до"  # a row of «Сроки»
ANSWERED_AT = "Ответ размещён"  # a time of «Сообщение»
DATETIME_FORMAT = "%d.%m.%Y %H:%M"

TOKEN = re.compile(r"^wagtail_\S+$", re.MULTILINE)


class Screenshots:
    """Numbered full-page screenshots in test-results/, taken with CSS animations finished
    (the editor's action menu fades in)."""

    def __init__(self, directory, prefix):
        self.directory = directory
        self.prefix = prefix
        self.count = 0

    def __call__(self, page, name):
        self.count += 1
        path = self.directory / f"{self.prefix}-{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")


@pytest.fixture
def people(site_tree):
    # What the data migrations set up, and what these tests rely on.
    workflow = Workflow.objects.get(name=ANSWER_WORKFLOW)
    assert workflow.active
    assert [task.name for task in workflow.tasks] == [PRESS_TASK, CURATOR_TASK]
    assert Answer.get_default_workflow() == workflow

    return {
        "curator": UserFactory(
            username="curator", first_name="Пётр", last_name="Кураев", groups=[roles.CURATORS]
        ),
        "executor": UserFactory(
            username="executor",
            first_name=EXECUTOR_FIRST,
            last_name=EXECUTOR_LAST,
            groups=[roles.EXECUTORS],
        ),
        "editor": UserFactory(
            username="editor", first_name="Ирина", last_name="Правкина", groups=[roles.EDITORS]
        ),
    }


def status_of(case):
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def fresh(answer):
    return Answer.objects.get(pk=answer.pk)


def case_status(page):
    return page.locator(".case-summary .case-status")


def open_cases_menu(page, item):
    page.get_by_role("button", name=CASES_MENU, exact=True).click()
    page.get_by_role("link", name=item).click()


def case_row(page, case):
    return page.get_by_role("row").filter(has_text=f"№ {case.pk}.")


def issue_token():
    """What an administrator does for a monitoring system: ``manage.py create_api_token``."""
    out = io.StringIO()
    call_command("create_api_token", INTEGRATION, stdout=out)
    tokens = [t for t in TOKEN.findall(out.getvalue()) if APIToken.validate_token_format(t)]
    assert len(tokens) == 1, out.getvalue()
    return tokens[0]


def send_message(live_server):
    token = issue_token()
    payload = {
        "network": "vk",
        "url": MESSAGE_URL,
        "author_name": AUTHOR,
        "text": MESSAGE_TEXT,
        "detected_at": datetime.datetime.now(ZONE).replace(microsecond=0).isoformat(),
        "external_id": EXTERNAL_ID,
    }
    response = requests.post(
        f"{live_server.url}/api/v1/messages/",
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        timeout=15,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == Status.NEW
    assert response.headers["Location"].endswith(f"/api/v1/messages/{body['id']}/")

    case = Case.objects.get(pk=body["id"])
    assert case.source == INTEGRATION_USER
    assert (case.network, case.url, case.author_name) == ("vk", MESSAGE_URL, AUTHOR)
    assert case.external_id == EXTERNAL_ID
    assert case.text == MESSAGE_TEXT
    assert case.answer_due is not None and case.answer_due > timezone.now()
    return case


def route_as_curator(new_context, curator, case, shot):
    page = log_in(new_context(), curator)
    open_cases_menu(page, ALL_CASES)
    page.wait_for_url("**/admin/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ALL_CASES)
    row = case_row(page, case)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(MESSAGE_TEXT[:40])
    expect(row).to_contain_text(AUTHOR)
    expect(row).to_contain_text(STATUS_LABELS[Status.NEW])
    shot(page, "curator-all-cases")

    row.get_by_role("link").first.click()
    page.wait_for_url(f"**/admin/cases/{case.pk}/")
    expect(case_status(page)).to_have_text(STATUS_LABELS[Status.NEW])
    expect(page.locator(".case-text")).to_have_text(MESSAGE_TEXT)
    form = page.locator('form[data-action="route"]')
    form.get_by_label(EXECUTOR_LABEL, exact=True).select_option(label=EXECUTOR_NAME)
    shot(page, "curator-route-form")
    with page.expect_navigation(url=f"**/admin/cases/{case.pk}/"):
        form.get_by_role("button", name=ROUTE, exact=True).click()
    expect(page.locator(".messages .success")).to_contain_text(ROUTED_MESSAGE)
    expect(case_status(page)).to_have_text(STATUS_LABELS[Status.ROUTED])
    shot(page, "curator-routed")
    page.context.close()


def draft_and_submit_as_executor(new_context, executor, case, shot):
    page = log_in(new_context(), executor)
    open_cases_menu(page, MY_CASES)
    page.wait_for_url("**/admin/cases/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text(MY_CASES)
    row = case_row(page, case)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(STATUS_LABELS[Status.ROUTED])
    shot(page, "executor-my-cases")

    row.get_by_role("link").first.click()
    page.wait_for_url(f"**/admin/cases/{case.pk}/")
    with page.expect_navigation(url="**/admin/snippets/newsroom/answer/edit/*/"):
        page.get_by_role("button", name=START_ANSWER, exact=True).click()
    answer = Answer.objects.get(case=case)
    assert page.url.endswith(f"/admin/snippets/newsroom/answer/edit/{answer.pk}/")
    assert status_of(case) == Status.DRAFTING

    page.get_by_role("textbox", name=ANSWER_TEXT_LABEL).fill(ANSWER_TEXT)
    page.get_by_role("button", name=MORE_ACTIONS).click()
    submit = page.get_by_role("button", name=SUBMIT_TO_WORKFLOW, exact=True)
    expect(submit).to_be_visible()
    shot(page, "executor-answer-editor")
    with page.expect_navigation(url="**/admin/snippets/newsroom/answer/"):
        submit.click()
    expect(page.locator(".messages .success")).to_contain_text(SUBMITTED_MESSAGE)
    shot(page, "executor-submitted")
    page.context.close()
    return answer


def approve_from_dashboard(new_context, user, answer, shot, role):
    """«Одобрить» in the «…» menu of the answer's row in «В ожидании вашего отзыва»."""
    page = log_in(new_context(), user)
    row = page.get_by_role("region", name=AWAITING_REVIEW).get_by_role("row")
    row = row.filter(has_text=str(answer))
    expect(row).to_have_count(1)
    row.get_by_role("button", name=ROW_ACTIONS).click()
    expect(row.get_by_role("button", name=APPROVE, exact=True)).to_be_visible()
    shot(page, f"{role}-dashboard")
    # Wagtail posts the action and comes back to the dashboard, where the answer no longer waits.
    with page.expect_navigation(url="**/admin/"):
        row.get_by_role("button", name=APPROVE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=str(answer))).to_have_count(0)
    shot(page, f"{role}-approved")
    page.context.close()


def check_approved_as_curator(new_context, curator, case, shot):
    page = log_in(new_context(), curator)
    page.goto(f"/admin/cases/{case.pk}/")
    expect(case_status(page)).to_have_text(STATUS_LABELS[Status.APPROVED])
    answers = page.locator("section[aria-labelledby=case-answers]")
    expect(answers.locator(".case-answer")).to_have_text(ANSWER_APPROVED)
    shot(page, "curator-case-approved")
    page.context.close()


def post_as_executor(new_context, executor, case, shot):
    page = log_in(new_context(), executor)
    page.goto(f"/admin/cases/{case.pk}/")
    expect(case_status(page)).to_have_text(STATUS_LABELS[Status.APPROVED])
    form = page.locator('form[data-action="post_answer"]')
    form.get_by_label(POSTED_URL_LABEL).fill(POSTED_URL)
    shot(page, "executor-post-form")
    with page.expect_navigation(url=f"**/admin/cases/{case.pk}/"):
        form.get_by_role("button", name=POST_ANSWER, exact=True).click()

    expect(page.locator(".messages .success")).to_contain_text(POSTED_MESSAGE)
    expect(case_status(page)).to_have_text(STATUS_LABELS[Status.ANSWERED])
    expect(page.locator(".case-summary")).to_contain_text(CLOSED)
    expect(page.locator(f'.case-facts a[href="{POSTED_URL}"]')).to_be_visible()
    expect(page.locator('form[data-action="post_answer"]')).to_have_count(0)
    # In time: no deadline is shown as missed, and the answer was posted before the «Ответить
    # до» moment the page shows (both in the organisation's time, to the minute).
    expect(page.get_by_text(OVERDUE)).to_have_count(0)
    due = page.locator(".case-deadlines tr").filter(has_text=ANSWER_DUE).locator("time")
    facts = page.locator("section[aria-labelledby=case-message] .case-facts")
    answered = facts.locator(f"dt:text-is('{ANSWERED_AT}') + dd time")
    shown = {
        "answered": datetime.datetime.strptime(answered.inner_text(), DATETIME_FORMAT),
        "due": datetime.datetime.strptime(due.inner_text(), DATETIME_FORMAT),
    }
    assert shown["answered"] <= shown["due"], shown
    shot(page, "executor-posted")
    page.context.close()
    return shown


def test_message_from_the_api_is_routed_answered_approved_and_posted(
    live_server, people, new_context, results_dir
):
    shot = Screenshots(results_dir, "case-answer")

    # 1. The monitoring system sends the message.
    case = send_message(live_server)

    # 2. The curator routes it to the executor.
    route_as_curator(new_context, people["curator"], case, shot)
    case.refresh_from_db()
    assert case.status == Status.ROUTED
    assert case.executor == people["executor"]
    assert case.routed_by == people["curator"]

    # 3. The executor drafts the answer and submits it to «Согласование ответа».
    answer = draft_and_submit_as_executor(new_context, people["executor"], case, shot)
    assert status_of(case) == Status.PRESS_REVIEW
    answer = fresh(answer)
    assert answer.text == ANSWER_TEXT
    assert not answer.live
    assert answer.current_workflow_task.name == PRESS_TASK

    # 4. An editor of the press office approves it.
    approve_from_dashboard(new_context, people["editor"], answer, shot, "editor")
    assert status_of(case) == Status.CURATOR_REVIEW
    answer = fresh(answer)
    assert not answer.live
    assert answer.current_workflow_task.name == CURATOR_TASK

    # 5. The curator approves it: the answer is approved and live.
    approve_from_dashboard(new_context, people["curator"], answer, shot, "curator")
    assert status_of(case) == Status.APPROVED
    answer = fresh(answer)
    assert answer.live
    assert answer.current_workflow_state is None
    assert answer.live_revision.as_object().text == ANSWER_TEXT
    check_approved_as_curator(new_context, people["curator"], case, shot)

    # 6. The executor posts it and marks it posted, in time.
    shown = post_as_executor(new_context, people["executor"], case, shot)
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert case.answer_url == POSTED_URL
    assert case.answered_at is not None
    assert case.answered_at <= case.answer_due
    local = timezone.localtime(case.answered_at, ZONE).replace(tzinfo=None, second=0, microsecond=0)
    assert shown["answered"] == local
    assert list(case.events.order_by("pk").values_list("action", "actor__username")) == [
        ("registered", INTEGRATION_USER),
        ("route", "curator"),
        ("start_drafting", "executor"),
        ("submit_draft", "executor"),
        ("press_approve", "editor"),
        ("curator_approve", "curator"),
        ("post_answer", "executor"),
    ]


# «Одобрить» in the answer editor's action menu posts the form with the action; an unchanged form
# must not count as an edit (which, with re-approval on edit, would restart the workflow).
@pytest.mark.parametrize("role", ["editor", "curator"])
def test_reviewer_approves_in_the_answer_editor(people, new_context, results_dir, role):
    shot = Screenshots(results_dir, f"case-answer-in-editor-{role}")
    case, _created = case_service.register_case(
        {"network": "vk", "text": MESSAGE_TEXT, "detected_at": timezone.now()}, source="test"
    )
    case_service.apply(case.pk, "route", people["curator"], executor=people["executor"])
    answer = start_answer(case.pk, people["executor"])
    answer.text = ANSWER_TEXT
    answer.save_revision(user=people["executor"])
    Answer.get_default_workflow().start(answer, people["executor"])
    if role == "curator":
        state = fresh(answer).current_workflow_task_state
        state.task.specific.on_action(state, people["editor"], "approve")
    expected = {
        "editor": (Status.PRESS_REVIEW, Status.CURATOR_REVIEW),
        "curator": (Status.CURATOR_REVIEW, Status.APPROVED),
    }[role]
    assert status_of(case) == expected[0]

    page = log_in(new_context(), people[role])
    page.goto(f"/admin/cases/{case.pk}/")
    page.get_by_role("link", name=OPEN_ANSWER, exact=True).click()
    page.wait_for_url(f"**/admin/snippets/newsroom/answer/edit/{answer.pk}/")
    expect(page.get_by_role("textbox", name=ANSWER_TEXT_LABEL)).to_have_value(ANSWER_TEXT)
    page.get_by_role("button", name=MORE_ACTIONS).click()
    approve = page.get_by_role("button", name=APPROVE, exact=True)
    expect(approve).to_be_visible()
    shot(page, "actions")
    with page.expect_navigation(url="**/admin/snippets/newsroom/answer/"):
        approve.click()
    shot(page, "approved")
    page.context.close()

    answer = fresh(answer)
    assert status_of(case) == expected[1]
    if role == "editor":
        assert answer.current_workflow_task is not None
        assert answer.current_workflow_task.name == CURATOR_TASK, (
            "the press office approved, yet the answer waits for the press office again"
        )
    else:
        assert answer.live, "the case says «Ответ согласован», yet the answer is not published"
