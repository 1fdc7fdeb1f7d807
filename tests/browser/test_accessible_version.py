"""A visitor switches on the version for the visually impaired, sets it up, finds it again on the
next page, searches «школа» and opens «Обращения граждан»; then goes back to the usual site."""

import pytest
from playwright.sync_api import expect

from newsroom.models import AppealsPage
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def style(page, selector, prop):
    return page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}")


def test_visitor_uses_the_accessible_version_searches_and_opens_the_appeals_page(
    site_tree, new_context, results_dir
):
    news = factories.NewsPageFactory(parent=site_tree.news_index, title="Ремонт школы закончен")
    news.save_revision().publish()
    appeals = AppealsPage(
        title="Обращения граждан",
        slug="obrashheniya",
        reception="<p>Личный приём по вторникам.</p>",
    )
    site_tree.home.add_child(instance=appeals)
    appeals.save_revision().publish()

    page = new_context().new_page()
    page.goto(news.url)
    expect(page.locator("article img, main img").first).to_be_visible()
    usual_size = style(page, "html", "fontSize")

    page.get_by_role("button", name="Версия для слабовидящих").click()
    panel = page.get_by_role("group", name="Настройки версии для слабовидящих")
    expect(panel).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-a11y", "on")

    panel.get_by_role("button", name="Очень крупный шрифт").click()
    panel.get_by_role("button", name="Белым по чёрному").click()
    panel.get_by_role("button", name="Не показывать").click()
    panel.get_by_role("button", name="Большой").click()
    assert usual_size == "16px" and style(page, "html", "fontSize") == "32px"
    assert style(page, "body", "backgroundColor") == "rgb(0, 0, 0)"
    assert style(page, "main h1", "color") == "rgb(255, 255, 255)"
    expect(page.locator("main img").first).to_be_hidden()
    assert float(style(page, "body", "letterSpacing").removesuffix("px")) >= 7  # 0.25em of 32px
    expect(panel.get_by_role("button", name="Белым по чёрному")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.screenshot(path=str(results_dir / "a11y-news.png"), full_page=True)

    # The next page opens already set up (the choice is kept in this browser only).
    page.get_by_role("search").first.get_by_role("searchbox").fill("школа")
    page.get_by_role("search").first.get_by_role("button", name="Найти").click()
    page.wait_for_url("**/search/?q=*")
    assert style(page, "html", "fontSize") == "32px"
    assert style(page, "body", "backgroundColor") == "rgb(0, 0, 0)"
    expect(page.get_by_role("heading", name="Ремонт школы закончен")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("школы")
    cookies = page.context.cookies()
    assert cookies == []  # nothing about the visitor goes to the server

    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Обращения граждан"
    ).click()
    expect(page.get_by_role("heading", name="Как направить обращение")).to_be_visible()
    expect(page.get_by_text("Личный приём по вторникам.")).to_be_visible()
    page.screenshot(path=str(results_dir / "a11y-appeals.png"), full_page=True)

    page.get_by_role("button", name="Обычная версия сайта").click()
    expect(page.locator("html")).not_to_have_attribute("data-a11y", "on")
    page.reload()
    assert style(page, "html", "fontSize") == "16px"
    expect(page.get_by_role("button", name="Версия для слабовидящих")).to_be_visible()
