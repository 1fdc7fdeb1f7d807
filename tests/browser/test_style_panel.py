"""The style check in the news editor, as an editor uses it in a real browser."""

from playwright.sync_api import expect

from newsroom import roles
from tests.browser.test_newsroom_publication import log_in
from tests.factories import UserFactory


def test_editor_checks_unsaved_text_and_sees_plainer_wording(site_tree, new_context):
    editor = UserFactory(username="stylist", groups=[roles.EDITORS])
    page = log_in(new_context(), editor)
    page.goto(f"/admin/pages/add/newsroom/newspage/{site_tree.news_index.pk}/")
    page.locator("#id_title").fill("В целях обеспечения безопасности осуществляется ремонт")
    page.locator("#id_lead").fill("На сегодняшний день денежные средства выделены в полном объёме.")

    panel = page.locator("[data-style-check]")
    panel.get_by_role("button", name="Проверить текст в форме").click()

    findings = panel.locator("[data-style-finding]")
    expect(findings).to_have_count(5)
    expect(panel).to_contain_text("«денежные средства» → деньги")
    expect(panel).to_contain_text("Читаемость")

    # Rewritten plainly, the same text passes.
    page.locator("#id_title").fill("Дорогу у школы ремонтируют, чтобы детям было безопасно")
    page.locator("#id_lead").fill("Деньги на ремонт уже выделили.")
    panel.get_by_role("button", name="Проверить текст в форме").click()
    expect(panel.locator("[data-style-clean]")).to_be_visible()
    expect(findings).to_have_count(0)
    page.context.close()
