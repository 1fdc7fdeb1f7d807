"""The loop closed, in a real browser: a citizen comments under a crossposted news item on the
fake VK; the comment appears in «Комментарии»; the moderator takes it into work as a message;
the curator routes it; the executor (notified) drafts the answer; the press office and the
curator approve; the reply appears on the fake under that comment; the case shows «Ответ
размещён» with the link and «в срок»."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from newsroom import roles
from newsroom.casework.rules.lifecycle import STATUS_LABELS, Status
from newsroom.models import Answer, Case, CaseNotification
from social_sync.models import Comment, OutboxItem, OutboxState
from social_sync.services import comments
from tests import factories
from tests.browser.test_case_answer import (
    ANSWER_TEXT_LABEL,
    EXECUTOR_LABEL,
    ROUTE,
    START_ANSWER,
    SUBMIT_TO_WORKFLOW,
    Screenshots,
    approve_from_dashboard,
    case_status,
)
from tests.browser.test_newsroom_publication import MORE_ACTIONS, log_in
from tests.factories import UserFactory
from tests.fakes.social_server import FakeSocialServer
from tests.social_sync.helpers import (
    VK_ADMIN_TOKEN,
    VK_GROUP,
    point_settings_at,
    publish,
    vk_community,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "На улице Садовой начали ремонт водопровода"
COMMENT = "Третий день нет воды в доме 12 на Садовой! Когда дадут?"
CITIZEN = 4242
ANSWER = "Воду в доме 12 дадут сегодня до 18:00: ремонт водопровода заканчивается."
COMMENTS_MENU = "Комментарии"
SOCIAL_MENU = "Соцсети"
TO_CASE = "Взять в работу как сообщение"


@pytest.fixture
def fake_vk(settings):
    with FakeSocialServer(seed=3) as server:
        server.add_vk_token(VK_ADMIN_TOKEN, kind="user", user_id=10, admin_of=(VK_GROUP,))
        point_settings_at(settings, server)
        yield server


@pytest.fixture
def people(site_tree):
    return {
        "editor": UserFactory(
            username="editor", first_name="Ирина", last_name="Правкина", groups=[roles.EDITORS]
        ),
        "curator": UserFactory(
            username="curator", first_name="Пётр", last_name="Кураев", groups=[roles.CURATORS]
        ),
        "executor": UserFactory(
            username="executor",
            first_name="Ольга",
            last_name="Водопьянова",
            email="executor@example.ru",
            groups=[roles.EXECUTORS],
        ),
    }


def the_comment_under_a_crossposted_item(fake_vk, site_tree):
    account = vk_community()
    account.name = "Администрация района ВКонтакте"
    account.save()
    news = publish(factories.NewsPageFactory(parent=site_tree.news_index, title=TITLE, live=False))
    post = OutboxItem.objects.get(page=news, account=account)
    assert post.state == OutboxState.DONE, post.last_error
    fake_vk.seed_vk_comment(-VK_GROUP, int(post.remote_id), COMMENT, from_id=CITIZEN)
    comments.pull_all()  # what the schedule does every few minutes
    return Comment.objects.get(author_id=str(CITIZEN)), news


def moderator_takes_it_into_work(new_context, editor, comment, shot):
    page = log_in(new_context(), editor)
    page.get_by_role("button", name=SOCIAL_MENU, exact=True).click()
    # The menu item carries the number of new comments: «Комментарии — новых: 1».
    page.get_by_role("navigation").get_by_role(
        "link", name=re.compile(rf"^{COMMENTS_MENU} — новых")
    ).click()
    page.wait_for_url("**/admin/social/comments/")
    row = page.get_by_role("row").filter(has_text=COMMENT[:40])
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Администрация района ВКонтакте")
    shot(page, "moderator-inbox")
    row.get_by_role("link").first.click()
    page.wait_for_url(f"**/admin/social/comments/{comment.pk}/")
    expect(page.locator("[data-thread]")).to_contain_text(COMMENT)
    expect(page.locator("section.social-comment__post")).to_contain_text(TITLE)
    shot(page, "moderator-comment")
    with page.expect_navigation(url="**/admin/cases/*/"):
        page.get_by_role("button", name=TO_CASE, exact=True).click()
    expect(page.locator(".case-text")).to_have_text(COMMENT)
    shot(page, "moderator-case")
    page.context.close()
    return Case.objects.get(pk=Comment.objects.get(pk=comment.pk).case_id)


def curator_routes(new_context, curator, case, executor, shot):
    page = log_in(new_context(), curator)
    page.goto(f"/admin/cases/{case.pk}/")
    form = page.locator('form[data-action="route"]')
    form.get_by_label(EXECUTOR_LABEL, exact=True).select_option(label=executor.get_full_name())
    with page.expect_navigation(url=f"**/admin/cases/{case.pk}/"):
        form.get_by_role("button", name=ROUTE, exact=True).click()
    expect(case_status(page)).to_have_text(STATUS_LABELS[Status.ROUTED])
    shot(page, "curator-routed")
    page.context.close()


def executor_drafts(new_context, executor, case, shot):
    page = log_in(new_context(), executor)
    page.goto(f"/admin/cases/{case.pk}/")
    with page.expect_navigation(url="**/admin/snippets/newsroom/answer/edit/*/"):
        page.get_by_role("button", name=START_ANSWER, exact=True).click()
    # Nobody drafts blind: the citizen's comment and the deadline are in the editor.
    expect(page.locator("[data-case-text]")).to_contain_text(COMMENT)
    expect(page.locator("[data-case-due]")).to_be_visible()
    page.get_by_role("textbox", name=ANSWER_TEXT_LABEL).fill(ANSWER)
    page.get_by_role("button", name=MORE_ACTIONS).click()
    shot(page, "executor-answer-editor")
    with page.expect_navigation(url="**/admin/snippets/newsroom/answer/"):
        page.get_by_role("button", name=SUBMIT_TO_WORKFLOW, exact=True).click()
    page.context.close()
    return Answer.objects.get(case=case)


def test_a_comment_under_our_post_is_answered_under_it_in_time(
    fake_vk, site_tree, people, new_context, results_dir
):
    shot = Screenshots(results_dir, "comment-loop")
    comment, _news = the_comment_under_a_crossposted_item(fake_vk, site_tree)

    case = moderator_takes_it_into_work(new_context, people["editor"], comment, shot)
    assert case.url == comment.url and case.detected_at == comment.published_at

    curator_routes(new_context, people["curator"], case, people["executor"], shot)
    assert CaseNotification.objects.filter(
        case=case, recipient=people["executor"], kind="assigned"
    ).exists()
    assert any("executor@example.ru" in m.to for m in mail.outbox)

    answer = executor_drafts(new_context, people["executor"], case, shot)
    approve_from_dashboard(new_context, people["editor"], answer, shot, "editor")
    approve_from_dashboard(new_context, people["curator"], answer, shot, "curator")

    # The approval wrote the reply's outbox row; the (synchronous, in tests) worker placed it.
    [reply] = [c for c in fake_vk.vk_comments[-VK_GROUP] if c["from_id"] == -VK_GROUP]
    assert reply["text"] == ANSWER
    assert reply["reply_to_comment"] == int(comment.remote_id)
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert case.answer_url.endswith(f"?reply={reply['id']}")
    assert case.answered_at <= case.answer_due

    page = log_in(new_context(), people["curator"])
    page.goto(f"/admin/cases/{case.pk}/")
    expect(case_status(page)).to_have_text(STATUS_LABELS[Status.ANSWERED])
    expect(page.locator(f'.case-facts a[href="{case.answer_url}"]')).to_be_visible()
    expect(page.locator("[data-answer-timeliness]")).to_have_text("в срок")
    shot(page, "curator-answered")
    page.context.close()
