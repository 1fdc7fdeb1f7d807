import pytest

from newsroom import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TITLE = "Во дворе школы № 3 залили каток"
LEAD = "Каток открыт каждый день с 10 до 21 часа, вход свободный."


def log_in(ctx, username):
    page = ctx.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/admin/")
    return page


def test_explore(site_tree, new_context, live_server):
    UserFactory(username="edu", groups=[site_tree.department.group_name])
    UserFactory(username="editor", groups=[roles.EDITORS])
    page = log_in(new_context(), "edu")
    page.get_by_role("button", name="Страницы").click()
    page.get_by_role("link", name=site_tree.area.title).click()
    page.wait_for_url(f"**/admin/pages/{site_tree.area.pk}/")
    page.get_by_role("link", name="Добавить дочернюю страницу").click()
    page.wait_for_url("**/admin/pages/add/**")
    print(page.url)
    page.get_by_placeholder("Заголовок страницы").fill(TITLE)
    page.get_by_role("textbox", name="Лид").fill(LEAD)
    page.get_by_role("button", name="Больше действий").click()
    page.get_by_role("button", name='Отправить в "Публикация материалов"').click()
    page.wait_for_load_state()
    print(page.url)
    page.screenshot(path="test-results/x-submitted.png", full_page=True)
    open("test-results/x-submitted.html", "w").write(page.content())
    page.close()
    page = log_in(new_context(), "editor")
    page.get_by_role("region", name="В ожидании вашего отзыва").get_by_role(
        "link", name=TITLE
    ).click()
    page.wait_for_url("**/edit/")
    page.get_by_role("button", name="Больше действий").click()
    page.screenshot(path="test-results/x-editor.png", full_page=True)
    open("test-results/x-editor.html", "w").write(page.content())
