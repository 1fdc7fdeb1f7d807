"""The head signs off a news item whose post text still reads as a press release: the approve
dialog lists the phrases to fix, and the posts go out only because the head ticks «Всё равно
опубликовать в соцсетях» there."""

import pytest
from playwright.sync_api import expect

from newsroom import roles
from social_sync.models import Network, OutboxItem, OutboxState
from tests import factories
from tests.browser.test_crosspost_panel import AWAITING_REVIEW, ROW_ACTIONS
from tests.browser.test_newsroom_publication import log_in
from tests.social_sync.helpers import make_account

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Ветеранам вручили медали"
WITH_NOTES = "Одобрить — есть замечания стиля"


def open_sign_off_dialog(page, title):
    """The head's «Одобрить — есть замечания стиля» in the row of ``title`` on the dashboard."""
    page.goto("/admin/")
    row = page.get_by_role("region", name=AWAITING_REVIEW).get_by_role("row").filter(has_text=title)
    row.get_by_role("button", name=ROW_ACTIONS).click()
    row.get_by_role("button", name=WITH_NOTES).click()
    return page.get_by_role("dialog")


def sign_off(page, dialog, publish_anyway=False):
    if publish_anyway:
        dialog.get_by_label("Всё равно опубликовать в соцсетях").check()
    with page.expect_navigation(url="**/admin/"):
        dialog.get_by_role("button", name=WITH_NOTES).click()


def test_the_head_sees_the_style_hints_and_lets_the_posts_through(
    site_tree, new_context, results_dir
):
    vk = make_account(network=Network.VK, owner_id="101", name="ВКонтакте администрации")
    author = factories.UserFactory(username="author", groups=[site_tree.department.group_name])
    editor = factories.UserFactory(username="editor", groups=[roles.EDITORS])
    head = factories.UserFactory(username="head", groups=[roles.HEAD_OF_PRESS_OFFICE])
    news = factories.NewsPageFactory(
        parent=site_tree.news_index,
        live=False,
        title=TITLE,
        social_text="В Доме культуры состоялось торжественное мероприятие. Ветеранам были "
        "вручены медали.",
    )
    news.save_revision(user=author)
    news.get_workflow().start(news, author)
    news.refresh_from_db()
    state = news.current_workflow_state.current_task_state
    state.task.specific.on_action(state, editor, "approve")

    page = log_in(new_context(), head)
    dialog = open_sign_off_dialog(page, TITLE)
    findings = dialog.get_by_role("region", name="Стиль: осталось исправить")
    expect(findings).to_contain_text("Текст для соцсетей")
    expect(findings).to_contain_text("«состоялось торжественное мероприятие»")
    expect(findings).to_contain_text("«были вручены» — Скажите, кто сделал: «вручили»")
    page.screenshot(path=str(results_dir / "sign-off-findings.png"), full_page=True)

    sign_off(page, dialog, publish_anyway=True)

    news.refresh_from_db()
    assert news.live and news.social_publish_anyway
    row = OutboxItem.objects.get(page=news, account=vk)
    assert row.state == OutboxState.DONE and not row.held_for_style
