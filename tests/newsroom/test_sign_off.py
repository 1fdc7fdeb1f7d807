"""The head's sign-off shows what the style check still finds, and lets the posts through only
when the head says so."""

import json

from django.urls import reverse
from django.utils import timezone

import pytest

from newsroom import roles
from newsroom.models import NewsPage, SignOffTask
from social_sync.models import STYLE_HOLD, OutboxAction, OutboxItem, OutboxState
from tests import factories
from tests.newsroom.forms import news_form_data
from tests.social_sync.helpers import vk_community

PRESS_RELEASE = "Ветеранам были вручены памятные медали."
PLAIN = "Глава района вручил ветеранам медали."


@pytest.fixture
def people(site_tree):
    return {
        "author": factories.UserFactory(
            username="author", groups=[site_tree.department.group_name]
        ),
        "editor": factories.UserFactory(username="editor", groups=[roles.EDITORS]),
        "head": factories.UserFactory(username="head", groups=[roles.HEAD_OF_PRESS_OFFICE]),
    }


@pytest.fixture(autouse=True)
def no_delivery(monkeypatch):
    monkeypatch.setattr("social_sync.tasks.enqueue_deliveries", lambda ids: None)


def at_head_step(site_tree, people, social_text, **fields):
    """A department's news with ``social_text``, approved by the editor, waiting for the head."""
    page = factories.NewsPageFactory(
        parent=site_tree.news_index, live=False, social_text=social_text, **fields
    )
    page.save_revision(user=people["author"])
    page.get_workflow().start(page, people["author"])
    page.refresh_from_db()
    state = page.current_workflow_state.current_task_state
    state.task.specific.on_action(state, people["editor"], "approve")
    page.refresh_from_db()
    state = page.current_workflow_state.current_task_state
    assert state.task.name == roles.HEAD_SIGN_OFF_TASK
    return page, state


def action_url(page, state, action="approve"):
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))


@pytest.mark.django_db
def test_the_heads_step_is_a_sign_off_with_the_style_check(site_tree):
    task = SignOffTask.objects.get(name=roles.HEAD_SIGN_OFF_TASK)
    assert list(task.groups.values_list("name", flat=True)) == [roles.HEAD_OF_PRESS_OFFICE]
    assert task.active


@pytest.mark.django_db
def test_the_approve_dialog_lists_the_hints_left(client, site_tree, people):
    page, state = at_head_step(
        site_tree, people, PRESS_RELEASE, social_text_ok="Хочется отметить, что всё прошло хорошо."
    )
    actions = state.task.specific.get_actions(page, people["head"])
    # With hints left there is no one-click approval: the head always sees them.
    assert [(name, modal) for name, _label, modal in actions] == [
        ("reject", True),
        ("approve", True),
    ]

    client.force_login(people["head"])
    response = client.get(action_url(page, state))
    html = response.json()["html"]
    assert "Стиль: осталось исправить" in html
    assert "Текст для соцсетей" in html and "«были вручены»" in html
    assert "Текст для сети «Одноклассники»" in html and "«Хочется отметить»" in html
    assert "Всё равно опубликовать в соцсетях" in html


@pytest.mark.django_db
def test_a_clean_text_is_approved_in_one_click(client, site_tree, people):
    page, state = at_head_step(site_tree, people, PLAIN)
    actions = state.task.specific.get_actions(page, people["head"])
    assert ("approve", "Одобрить", False) in actions

    client.force_login(people["head"])
    html = client.get(action_url(page, state)).json()["html"]
    assert "замечаний с пометкой «важно» не нашла" in html
    assert "Всё равно опубликовать" not in html


def signed_off(client, site_tree, people, capture, data):
    """The head approves a press-release text with ``data``: the page and its VK post row."""
    vk = vk_community()
    page, state = at_head_step(site_tree, people, PRESS_RELEASE)
    client.force_login(people["head"])
    with capture(execute=True):
        response = client.post(action_url(page, state), data)
    assert response.status_code == 302
    page.refresh_from_db()
    state.refresh_from_db()
    return (
        page.specific,
        state,
        OutboxItem.objects.get(page=page, account=vk, action=OutboxAction.POST),
    )


@pytest.mark.django_db
def test_approved_without_the_tick_the_posts_are_held(
    client, site_tree, people, django_capture_on_commit_callbacks
):
    page, _state, row = signed_off(
        client, site_tree, people, django_capture_on_commit_callbacks, {"comment": ""}
    )
    assert page.live and not page.social_publish_anyway
    assert (row.state, row.last_error_code) == (OutboxState.FAILED, STYLE_HOLD)


@pytest.mark.django_db
def test_the_heads_tick_lets_the_posts_through(
    client, site_tree, people, django_capture_on_commit_callbacks
):
    data = {"comment": "Оставляем", "publish_anyway": "on"}
    page, state, row = signed_off(
        client, site_tree, people, django_capture_on_commit_callbacks, data
    )
    assert page.live and page.social_publish_anyway
    assert row.state == OutboxState.PENDING and not row.held_for_style
    assert (state.status, state.finished_by) == ("approved", people["head"])
    assert state.comment == "Оставляем Посты в соцсети разрешены с замечаниями стиля."


@pytest.mark.django_db
def test_only_the_heads_group_may_sign_off(client, site_tree, people):
    page, state = at_head_step(site_tree, people, PRESS_RELEASE)
    assert state.task.specific.get_actions(page, people["editor"]) == []
    client.force_login(people["editor"])
    client.post(action_url(page, state), {"publish_anyway": "on"})
    page.refresh_from_db()
    assert not page.live
    assert not page.get_latest_revision().as_object().social_publish_anyway


@pytest.mark.django_db
def test_the_tick_given_in_the_page_editor_counts_too(
    client, site_tree, people, django_capture_on_commit_callbacks
):
    """From the page editor the dialog's answers come as «workflow-action-extra-data»."""
    vk = vk_community()
    form = news_form_data(title="Открыли каток", slug="katok", social_text=PRESS_RELEASE)
    client.force_login(people["author"])
    add = reverse("wagtailadmin_pages:add", args=("newsroom", "newspage", site_tree.area.pk))
    client.post(add, {**form, "action-submit": "1"})
    page = NewsPage.objects.get(slug="katok")
    state = page.current_workflow_state.current_task_state
    state.task.specific.on_action(state, people["editor"], "approve")

    client.force_login(people["head"])
    shown = timezone.localtime(page.date).strftime("%Y-%m-%d %H:%M")
    extra = json.dumps({"comment": "", "publish_anyway": True})
    data = {
        **form,
        "date": shown,
        "department": str(site_tree.department.pk),
        "action-workflow-action": "1",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": extra,
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    page.refresh_from_db()
    assert page.live and page.social_publish_anyway
    row = OutboxItem.objects.get(page=page, account=vk, action=OutboxAction.POST)
    assert not row.held_for_style


@pytest.mark.django_db
def test_a_row_seen_before_costs_no_style_check(site_tree, people, django_assert_num_queries):
    page, state = at_head_step(site_tree, people, PRESS_RELEASE)
    task = state.task.specific
    first = task.findings_for(page)
    assert first and first[0][0] == "Текст для соцсетей"
    with django_assert_num_queries(0):
        assert task.findings_for(page) == first
