"""«Публикация материалов» in a real browser: a department writes a news item and submits it,
an editor approves it, the head of the press office approves it, and a visitor reads it.

The same flow is checked with Django's test client in tests/newsroom/test_workflow.py; here every
step goes through Wagtail's (Russian) admin UI as people see it. Only the users and the site tree
are made with factories.
"""

from django.contrib.auth.models import Group

from wagtail.models import Workflow

import pytest
from playwright.sync_api import expect

from newsroom import roles
from newsroom.models import NewsPage
from newsroom.translit import latin_slug
from tests.factories import UserFactory

# The live server runs in another thread: the data must be committed, and the data migrations'
# rows (groups, workflow, root page) restored after the previous transactional test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "secret-pass-123"  # what UserFactory sets
TITLE = "Во дворе школы № 3 залили каток"
LEAD = "Каток открыт каждый день с 10 до 21 часа, вход свободный."

# Wagtail 8.0.1's admin in Russian, as rendered.
SIGN_IN = "Войти"
PAGES_MENU = "Страницы"
ADD_CHILD_PAGE = "Добавить дочернюю страницу"
TITLE_PLACEHOLDER = "Заголовок страницы"
LEAD_LABEL = "Лид"
MORE_ACTIONS = "Больше действий"  # the arrow next to «Сохранить черновик»
SUBMIT_TO_WORKFLOW = f'Отправить в "{roles.PUBLICATION_WORKFLOW}"'
SUBMITTED_MESSAGE = f"Страница '{TITLE}' создана и отправлена на модерацию."
IN_MODERATION = "на модерации"
AWAITING_REVIEW = "В ожидании вашего отзыва"  # the dashboard panel
ROW_ACTIONS = "Действия"  # the «…» menu of a row in that panel
APPROVE = "Одобрить"  # exact: «Одобрить с комментарием» is next to it


# Known application bug, see test_editor_approves_in_the_page_editor.


class Screenshots:
    def __init__(self, directory, prefix):
        self.directory = directory
        self.prefix = prefix
        self.count = 0

    def __call__(self, page, name):
        self.count += 1
        path = self.directory / f"{self.prefix}-{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)


@pytest.fixture
def people(site_tree):
    # What the data migrations set up, and what these tests rely on.
    workflow = Workflow.objects.get(name=roles.PUBLICATION_WORKFLOW)
    assert workflow.active
    assert [task.name for task in workflow.tasks] == [
        roles.EDITOR_REVIEW_TASK,
        roles.HEAD_SIGN_OFF_TASK,
    ]
    assert site_tree.area.get_workflow() == workflow
    group_names = [roles.EDITORS, roles.HEAD_OF_PRESS_OFFICE, site_tree.department.group_name]
    assert Group.objects.filter(name__in=group_names).count() == 3

    return {
        "author": UserFactory(username="edu", groups=[site_tree.department.group_name]),
        "editor": UserFactory(username="editor", groups=[roles.EDITORS]),
        "head": UserFactory(username="head", groups=[roles.HEAD_OF_PRESS_OFFICE]),
    }


def log_in(context, user):
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN, exact=True).click()
    page.wait_for_url("**/admin/")
    return page


def current_task_name(news):
    state = NewsPage.objects.get(pk=news.pk).current_workflow_state
    assert state is not None, "the news item is not in a workflow"
    return state.current_task_state.task.name


def submit_as_department(new_context, site_tree, author, shot):
    """The department's user writes the item in its area, through the explorer, and submits it."""
    page = log_in(new_context(), author)
    page.get_by_role("button", name=PAGES_MENU, exact=True).click()
    page.get_by_role("link", name=site_tree.area.title, exact=True).click()
    page.wait_for_url(f"**/admin/pages/{site_tree.area.pk}/")
    page.get_by_role("link", name=ADD_CHILD_PAGE).click()
    # A news item is the only type allowed in the area, so Wagtail skips the type chooser.
    page.wait_for_url(f"**/admin/pages/add/newsroom/newspage/{site_tree.area.pk}/")
    page.get_by_placeholder(TITLE_PLACEHOLDER).fill(TITLE)
    page.get_by_role("textbox", name=LEAD_LABEL).fill(LEAD)
    shot(page, "author-form")
    page.get_by_role("button", name=MORE_ACTIONS).click()
    page.get_by_role("button", name=SUBMIT_TO_WORKFLOW, exact=True).click()
    page.wait_for_url(f"**/admin/pages/{site_tree.area.pk}/")
    expect(page.locator(".messages .success")).to_contain_text(SUBMITTED_MESSAGE)
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text(IN_MODERATION)
    shot(page, "author-submitted")
    page.context.close()

    news = NewsPage.objects.get(title=TITLE)
    # The slug the editor's script made as the title was typed is the server's transliteration.
    assert news.slug == latin_slug(TITLE) == "vo-dvore-shkoly-3-zalili-katok"
    assert news.get_parent().pk == site_tree.area.pk
    assert news.lead == LEAD
    assert news.department == site_tree.department
    assert not news.live
    assert news.current_workflow_state.status == "in_progress"
    assert current_task_name(news) == roles.EDITOR_REVIEW_TASK
    return news


def approve_from_dashboard(new_context, user, shot, role):
    page = log_in(new_context(), user)
    row = page.get_by_role("region", name=AWAITING_REVIEW).get_by_role("row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    row.get_by_role("button", name=ROW_ACTIONS).click()
    shot(page, f"{role}-dashboard")
    # Wagtail posts the action and comes back to the dashboard (the same address), where the
    # item is no longer waiting for this user.
    with page.expect_navigation(url="**/admin/"):
        row.get_by_role("button", name=APPROVE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_have_count(0)
    shot(page, f"{role}-approved")
    page.context.close()


def test_department_news_is_approved_by_editor_and_head_and_published(
    site_tree, people, new_context, results_dir
):
    shot = Screenshots(results_dir, "newsroom-publication")

    # 1. The department submits the item.
    news = submit_as_department(new_context, site_tree, people["author"], shot)

    # Not on the site yet (this also puts the news list in the anonymous page cache).
    early_visitor = new_context().new_page()
    early_visitor.goto("/news/")
    expect(early_visitor.get_by_role("heading", level=1)).to_have_text(site_tree.news_index.title)
    expect(early_visitor.get_by_text(TITLE)).to_have_count(0)
    early_visitor.context.close()

    # 2. An editor approves it.
    approve_from_dashboard(new_context, people["editor"], shot, "editor")
    news.refresh_from_db()
    assert not news.live, "one approval is not enough"
    assert current_task_name(news) == roles.HEAD_SIGN_OFF_TASK

    # 3. The head of the press office approves it: it is published.
    approve_from_dashboard(new_context, people["head"], shot, "head")
    news.refresh_from_db()
    assert news.live
    assert news.current_workflow_state is None
    assert news.first_published_at is not None

    # 4. A visitor finds it in the news list and reads it.
    visitor = new_context().new_page()
    visitor.goto("/news/")
    link = visitor.get_by_role("link", name=TITLE, exact=True)
    expect(link).to_be_visible()
    shot(visitor, "visitor-news-list")
    link.click()
    visitor.wait_for_url(f"**{news.url}")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator(".article__lead")).to_have_text(LEAD)
    expect(visitor.locator("article")).to_contain_text(site_tree.department.name)
    shot(visitor, "visitor-news-item")


def test_editor_approves_in_the_page_editor(site_tree, people, new_context, results_dir):
    """«Одобрить» in the page editor's action menu moves the item on, up to publication.

    Saving the editor form unchanged must not count as an edit (which would restart the workflow).
    """
    shot = Screenshots(results_dir, "newsroom-approve-in-editor")
    news = submit_as_department(new_context, site_tree, people["author"], shot)

    editor = log_in(new_context(), people["editor"])
    awaiting = editor.get_by_role("region", name=AWAITING_REVIEW)
    awaiting.get_by_role("link", name=TITLE, exact=True).click()
    editor.wait_for_url(f"**/admin/pages/{news.pk}/edit/")
    editor.get_by_role("button", name=MORE_ACTIONS).click()
    shot(editor, "editor-actions")
    editor.get_by_role("button", name=APPROVE, exact=True).click()
    editor.wait_for_url(f"**/admin/pages/{site_tree.area.pk}/")
    expect(editor.locator(".messages .success")).to_contain_text(TITLE)
    shot(editor, "editor-approved")
    editor.context.close()

    news.refresh_from_db()
    assert not news.live
    assert current_task_name(news) == roles.HEAD_SIGN_OFF_TASK
    assert news.revisions.count() == 1, "approving without changes saves no new revision"

    head = log_in(new_context(), people["head"])
    head.goto(f"/admin/pages/{news.pk}/edit/")
    head.get_by_role("button", name=MORE_ACTIONS).click()
    head.get_by_role("button", name=APPROVE, exact=True).click()
    head.wait_for_url(f"**/admin/pages/{site_tree.area.pk}/")
    shot(head, "head-approved")
    head.context.close()

    news.refresh_from_db()
    assert news.live
