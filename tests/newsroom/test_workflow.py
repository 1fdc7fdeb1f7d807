"""«Публикация материалов» end to end: department → editor → head of the press office → live."""

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageLogEntry

import pytest

from newsroom import roles
from newsroom.models import NewsPage
from tests.factories import UserFactory
from tests.newsroom.forms import news_form_data


@pytest.fixture
def people(site_tree):
    return {
        "author": UserFactory(username="author", groups=[site_tree.department.group_name]),
        "editor": UserFactory(username="editor", groups=[roles.EDITORS]),
        "head": UserFactory(username="head", groups=[roles.HEAD_OF_PRESS_OFFICE]),
    }


def submit(client, site_tree, author, slug):
    client.force_login(author)
    url = reverse("wagtailadmin_pages:add", args=("newsroom", "newspage", site_tree.area.pk))
    response = client.post(
        url, news_form_data(title="Открыли каток", slug=slug, **{"action-submit": "1"})
    )
    assert response.status_code == 302
    return NewsPage.objects.get(slug=slug)


def act(client, user, page, action, comment=""):
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    data = {"comment": comment} if comment else {}
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.content[:500]
    page.refresh_from_db()
    return task_state


def recipients():
    return [set(message.to) for message in mail.outbox]


@pytest.mark.django_db
def test_submit_then_editor_then_head_approval_publishes(client, site_tree, people):
    page = submit(client, site_tree, people["author"], "katok")
    assert not page.live
    assert {"editor@example.ru"} in recipients(), "editors are told a draft waits for them"

    mail.outbox.clear()
    act(client, people["editor"], page, "approve")
    assert not page.live, "one approval is not enough"
    assert page.current_workflow_state.current_task_state.task.name == roles.HEAD_SIGN_OFF_TASK
    assert {"head@example.ru"} in recipients(), "the head is told it is their turn"

    mail.outbox.clear()
    act(client, people["head"], page, "approve")
    assert page.live
    assert page.current_workflow_state is None
    assert {"author@example.ru"} in recipients(), "the author learns the item is published"

    actions = list(
        PageLogEntry.objects.filter(page=page)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert "wagtail.workflow.start" in actions
    assert actions.count("wagtail.workflow.approve") == 2
    assert "wagtail.publish" in actions


@pytest.mark.django_db
def test_rejection_returns_the_draft_to_its_author_with_the_comment(client, site_tree, people):
    page = submit(client, site_tree, people["author"], "katok-2")
    mail.outbox.clear()
    comment = "Уберите канцелярит и добавьте дату открытия."
    act(client, people["editor"], page, "reject", comment=comment)

    assert not page.live
    state = page.workflow_states.order_by("-created_at").first()
    assert state.status == "needs_changes"
    author_mail = [m for m in mail.outbox if "author@example.ru" in m.to]
    assert author_mail, "the author is e-mailed"
    assert comment in author_mail[0].body
    assert PageLogEntry.objects.filter(page=page, action="wagtail.workflow.reject").exists()

    # The author edits and sends it again; the workflow restarts at the editor's review.
    client.force_login(people["author"])
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.post(
        url,
        news_form_data(title="Открыли каток 20 декабря", slug="katok-2", **{"action-submit": "1"}),
    )
    page.refresh_from_db()
    assert page.current_workflow_state.status == "in_progress"
    assert page.current_workflow_state.current_task_state.task.name == roles.EDITOR_REVIEW_TASK


@pytest.mark.django_db
def test_department_user_cannot_approve_its_own_submission(client, site_tree, people):
    page = submit(client, site_tree, people["author"], "katok-3")
    act(client, people["author"], page, "approve")
    assert page.current_workflow_state.current_task_state.task.name == roles.EDITOR_REVIEW_TASK
    assert not page.live


@pytest.mark.django_db
def test_head_cannot_skip_the_editors_review(client, site_tree, people):
    page = submit(client, site_tree, people["author"], "katok-4")
    act(client, people["head"], page, "approve")
    assert page.current_workflow_state.current_task_state.task.name == roles.EDITOR_REVIEW_TASK


@pytest.mark.django_db
def test_approving_from_the_editor_without_changes_does_not_restart_the_workflow(
    client, site_tree, people
):
    """Saving the editor form unchanged is not an edit: re-approval is for real changes only."""
    page = submit(client, site_tree, people["author"], "katok-5")
    task_state = page.current_workflow_state.current_task_state
    client.force_login(people["editor"])
    shown = timezone.localtime(page.date).strftime("%Y-%m-%d %H:%M")
    data = news_form_data(
        title="Открыли каток",
        slug="katok-5",
        date=shown,
        department=str(site_tree.department.pk),
        **{"action-workflow-action": "1", "workflow-action-name": "approve"},
    )
    client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    task_state.refresh_from_db()
    page.refresh_from_db()
    assert task_state.status == "approved"
    assert page.current_workflow_state.current_task_state.task.name == roles.HEAD_SIGN_OFF_TASK
