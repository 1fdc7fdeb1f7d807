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
from tests.factories import UserFactory

# The live server runs in another thread: the data must be committed, and the data migrations'
# rows (groups, workflow, root page) restored after the previous transactional test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "secret-pass-123"  # what UserFactory sets
TITLE = "Во дворе школы № 3 залили каток"
LEAD = "Каток открыт каждый день с 10 до 21 часа, вход свободный."

# Wagtail 8.0.1 admin in Russian, as rendered.
SIGN_IN = "Войти"
PAGES_MENU = "Страницы"
ADD_CHILD_PAGE = "Добавить дочернюю страницу"
TITLE_PLACEHOLDER = "Заголовок страницы"
LEAD_LABEL = "Лид"
MORE_ACTIONS = "Больше действий"
SUBMIT_TO_WORKFLOW = f'Отправить в "{roles.PUBLICATION_WORKFLOW}"'
AWAITING_REVIEW = "В ожидании вашего отзыва"
ROW_ACTIONS = "Действия"
APPROVE = "Одобрить"  # exact: «Одобрить с комментарием» is next to it
SUBMITTED_MESSAGE = f"Страница '{TITLE}' создана и отправлена на модерацию."
IN_MODERATION = "на модерации"


class Screenshots:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def __call__(self, page, name):
        self.count += 1
        path = self.directory / f"newsroom-publication-{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)


def log_in(context, username):
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN, exact=True).click()
    page.wait_for_url("**/admin/")
    return page


def current_task_name(page_id):
    state = NewsPage.objects.get(pk=page_id).current_workflow_state
    assert state is not None, "the news item is not in a workflow"
    return state.current_task_state.task.name


def test_department_news_is_approved_by_editor_and_head_and_published(
    site_tree, new_context, results_dir
):
    # What the data migrations set up, and what this test relies on.
    workflow = Workflow.objects.get(name=roles.PUBLICATION_WORKFLOW)
    assert workflow.active
    assert [task.name for task in workflow.tasks] == [
        roles.EDITOR_REVIEW_TASK,
        roles.HEAD_SIGN_OFF_TASK,
    ]
    assert site_tree.area.get_workflow() == workflow
    group_names = [roles.EDITORS, roles.HEAD_OF_PRESS_OFFICE, site_tree.department.group_name]
    assert Group.objects.filter(name__in=group_names).count() == 3

    UserFactory(username="edu", groups=[site_tree.department.group_name])
    UserFactory(username="editor", groups=[roles.EDITORS])
    UserFactory(username="head", groups=[roles.HEAD_OF_PRESS_OFFICE])
    shot = Screenshots(results_dir)

    # 1. The department writes the item in its area and submits it.
    author = log_in(new_context(), "edu")
    author.get_by_role("button", name=PAGES_MENU, exact=True).click()
    author.get_by_role("link", name=site_tree.area.title, exact=True).click()
    author.wait_for_url(f"**/admin/pages/{site_tree.area.pk}/")
    author.get_by_role("link", name=ADD_CHILD_PAGE).click()
    # A news item is the only type allowed in the area, so Wagtail skips the type chooser.
    author.wait_for_url(f"**/admin/pages/add/newsroom/newspage/{site_tree.area.pk}/")
    author.get_by_placeholder(TITLE_PLACEHOLDER).fill(TITLE)
    author.get_by_role("textbox", name=LEAD_LABEL).fill(LEAD)
    shot(author, "author-form")
    author.get_by_role("button", name=MORE_ACTIONS).click()
    author.get_by_role("button", name=SUBMIT_TO_WORKFLOW, exact=True).click()
    author.wait_for_url(f"**/admin/pages/{site_tree.area.pk}/")
    expect(author.locator(".messages .success")).to_contain_text(SUBMITTED_MESSAGE)
    row = author.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(IN_MODERATION)
    shot(author, "author-submitted")
    author.context.close()

    news = NewsPage.objects.get(title=TITLE)
    assert news.get_parent().pk == site_tree.area.pk
    assert news.lead == LEAD
    assert news.department == site_tree.department
    assert not news.live
    assert news.current_workflow_state.status == "in_progress"
    assert current_task_name(news.pk) == roles.EDITOR_REVIEW_TASK

    # Not on the site yet (this also puts the news list in the anonymous page cache).
    early_visitor = new_context().new_page()
    early_visitor.goto("/news/")
    expect(early_visitor.get_by_role("heading", level=1)).to_have_text(site_tree.news_index.title)
    expect(early_visitor.get_by_text(TITLE)).to_have_count(0)
    early_visitor.context.close()

    # 2. An editor finds it on the dashboard and approves it in the editor.
    editor = log_in(new_context(), "editor")
    editor.get_by_role("region", name=AWAITING_REVIEW).get_by_role("link", name=TITLE).click()
    editor.wait_for_url(f"**/admin/pages/{news.pk}/edit/")
    editor.get_by_role("button", name=MORE_ACTIONS).click()
    shot(editor, "editor-actions")
    posts = []
    editor.on("request", lambda r: posts.append(r.post_data_buffer) if r.method == "POST" else None)
    editor.get_by_role("button", name=APPROVE, exact=True).click()
    editor.wait_for_url(f"**/admin/pages/{site_tree.area.pk}/")
    expect(editor.locator(".messages .success")).to_contain_text(TITLE)
    shot(editor, "editor-approved")
    editor.context.close()

    news.refresh_from_db()
    revs = list(news.revisions.order_by("pk"))
    a, b = revs[0].content, revs[-1].content
    print("DEBUG revs", len(revs))
    from django.http import QueryDict
    from django.test import RequestFactory

    body = posts[0]
    ct = None
    rf = RequestFactory()
    print("DEBUG body", body[:3000])
    open("/tmp/chk/body.bin", "wb").write(body)
    from django.contrib.auth import get_user_model

    qd = QueryDict(body)
    inst = NewsPage.objects.get(pk=news.pk).get_latest_revision_as_object()
    fc = NewsPage.get_edit_handler().get_form_class()
    f = fc(qd, instance=inst, for_user=get_user_model().objects.get(username="editor"))
    print("DEBUG valid", f.is_valid(), f.errors)
    print("DEBUG changed", f.changed_data, {k: fs.has_changed() for k, fs in f.formsets.items()})
    for name in f.changed_data:
        print("DEBUG field", name, repr(f[name].initial), repr(f[name].data))
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            print("DEBUG diff", k, repr(a.get(k)), repr(b.get(k)))
    from wagtail.models import TaskState

    for ts in TaskState.objects.order_by("pk"):
        print("DEBUG ts", ts.pk, ts.task.name, ts.status, ts.revision_id)
    assert not news.live, "one approval is not enough"
    assert current_task_name(news.pk) == roles.HEAD_SIGN_OFF_TASK

    # 3. The head of the press office approves it from the dashboard.
    head = log_in(new_context(), "head")
    awaiting = head.get_by_role("region", name=AWAITING_REVIEW)
    row = awaiting.get_by_role("row").filter(has_text=TITLE)
    shot(head, "head-dashboard")
    row.get_by_role("button", name=ROW_ACTIONS).click()
    row.get_by_role("button", name=APPROVE, exact=True).click()
    expect(head.locator(".messages .success")).to_contain_text(TITLE)
    expect(head.get_by_role("region", name=AWAITING_REVIEW)).to_have_count(0)
    shot(head, "head-approved")
    head.context.close()

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
