"""An editor publishes a news item with two images; the «Соцсети» tab of the page editor shows
where it went: posted to the sandbox accounts, with links to the posts as they would appear."""

import pytest
from playwright.sync_api import expect

from newsroom import roles
from social_sync.models import Network, OutboxItem, OutboxState, SandboxPost
from tests import factories
from tests.browser.test_newsroom_publication import MORE_ACTIONS, log_in
from tests.social_sync.helpers import make_account

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "В парке Победы высадили сто лип"
SOCIAL_TAB = "Соцсети"
SUBMIT = f'Отправить в "{roles.PUBLICATION_WORKFLOW}"'
AWAITING_REVIEW = "В ожидании вашего отзыва"
ROW_ACTIONS = "Действия"
APPROVE = "Одобрить"


def approve(page):
    page.goto("/admin/")
    row = page.get_by_role("region", name=AWAITING_REVIEW).get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("button", name=ROW_ACTIONS).click()
    with page.expect_navigation(url="**/admin/"):
        row.get_by_role("button", name=APPROVE, exact=True).click()


def test_an_editor_publishes_and_sees_the_posts_in_the_social_tab(
    site_tree, new_context, results_dir
):
    vk = make_account(network=Network.VK, owner_id="101", name="ВКонтакте администрации")
    ok = make_account(network=Network.OK, owner_id="202", name="Одноклассники администрации")
    head = make_account(network=Network.VK, owner_id="303", name="Страница Главы ВКонтакте")
    gallery = {"title": "", "images": [{"image": factories.ImageFactory(), "caption": "Посадка"}]}
    news = factories.NewsPageFactory(
        parent=site_tree.news_index,
        live=False,
        title=TITLE,
        body=[("paragraph", "<p>Липы посадили жители и школьники.</p>"), ("gallery", gallery)],
    )
    editor = factories.UserFactory(username="editor", groups=[roles.EDITORS])
    head_of_office = factories.UserFactory(username="head", groups=[roles.HEAD_OF_PRESS_OFFICE])

    page = log_in(new_context(), editor)
    page.goto(f"/admin/pages/{news.pk}/edit/")
    page.get_by_role("tab", name=SOCIAL_TAB).click()
    tab = page.get_by_role("tabpanel", name=SOCIAL_TAB)
    for account in (vk, ok, head):
        expect(tab.get_by_role("checkbox", name=account.name)).to_be_checked()
    expect(tab).to_contain_text("ещё не отправлялся")
    tab.get_by_role("checkbox", name=head.name).uncheck()  # not for the Head's own page
    page.screenshot(path=str(results_dir / "crosspost-before.png"), full_page=True)
    page.get_by_role("button", name=MORE_ACTIONS).click()
    page.get_by_role("button", name=SUBMIT, exact=True).click()
    page.wait_for_url("**/admin/pages/**")

    approve(page)  # the editor's review
    approve(log_in(new_context(), head_of_office))  # the head's sign-off publishes it

    page.goto(f"/admin/pages/{news.pk}/edit/")
    page.get_by_role("tab", name=SOCIAL_TAB).click()
    tab = page.get_by_role("tabpanel", name=SOCIAL_TAB)
    for account in (vk, ok):
        row = tab.get_by_role("row").filter(has_text=account.name)
        expect(row).to_contain_text("выполнено")
        expect(row).to_contain_text("песочница")
        expect(row.get_by_role("link", name="открыть")).to_be_visible()
    expect(tab.get_by_role("row").filter(has_text=head.name)).to_have_count(0)
    expect(tab.get_by_role("checkbox", name=head.name)).not_to_be_checked()
    page.screenshot(path=str(results_dir / "crosspost-after.png"), full_page=True)

    with page.context.expect_page() as opened:
        tab.get_by_role("row").filter(has_text=vk.name).get_by_role("link", name="открыть").click()
    post_page = opened.value
    post_page.wait_for_load_state()
    expect(post_page.get_by_role("article")).to_contain_text(TITLE)
    expect(post_page.get_by_role("article").locator("img")).to_have_count(2)
    post_page.screenshot(path=str(results_dir / "crosspost-sandbox-post.png"), full_page=True)

    assert set(OutboxItem.objects.values_list("account__name", "state")) == {
        (vk.name, OutboxState.DONE),
        (ok.name, OutboxState.DONE),
    }
    assert SandboxPost.objects.count() == 2
