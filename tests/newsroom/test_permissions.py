"""Page permissions: departments write in their own area only; editors write everywhere; only
the head (and administrators) publish."""

from django.urls import reverse

from wagtail.models import Page

import pytest

from newsroom import roles
from newsroom.models import NewsPage
from tests.factories import NewsPageFactory, UserFactory
from tests.newsroom.forms import news_form_data


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("newsroom", "newspage", parent.pk))


@pytest.fixture
def department_user(site_tree):
    return UserFactory(username="edu", groups=[site_tree.department.group_name])


@pytest.fixture
def editor(site_tree):
    return UserFactory(username="editor1", groups=[roles.EDITORS])


@pytest.fixture
def other_draft(site_tree):
    page = NewsPageFactory(parent=site_tree.other_area, title="Черновик ЖКХ", live=False)
    page.save_revision()
    return page


@pytest.mark.django_db
def test_department_group_exists_for_every_department(site_tree):
    site_tree.department.refresh_from_db()
    assert site_tree.department.group.name == "Подразделение: Образование-т"


@pytest.mark.django_db
def test_department_user_creates_a_draft_in_its_area(client, site_tree, department_user):
    client.force_login(department_user)
    assert client.get(add_url(site_tree.area)).status_code == 200
    response = client.post(add_url(site_tree.area), news_form_data(slug="draft-1"))
    assert response.status_code == 302
    page = NewsPage.objects.get(slug="draft-1")
    assert not page.live
    assert page.department == site_tree.department
    assert page.owner == department_user


@pytest.mark.django_db
def test_department_user_submits_for_moderation(client, site_tree, department_user):
    client.force_login(department_user)
    client.post(add_url(site_tree.area), news_form_data(slug="submitted", **{"action-submit": "1"}))
    page = NewsPage.objects.get(slug="submitted")
    assert not page.live
    state = page.current_workflow_state
    assert state is not None and state.workflow.name == roles.PUBLICATION_WORKFLOW
    assert state.current_task_state.task.name == roles.EDITOR_REVIEW_TASK


@pytest.mark.django_db
def test_department_user_cannot_publish(client, site_tree, department_user):
    client.force_login(department_user)
    client.post(
        add_url(site_tree.area), news_form_data(slug="try-publish", **{"action-publish": "1"})
    )
    page = NewsPage.objects.get(slug="try-publish")
    assert not page.live
    assert not page.permissions_for_user(department_user).can_publish()


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["other_area", "news_index", "head"])
def test_department_user_cannot_create_outside_its_area(client, site_tree, department_user, where):
    client.force_login(department_user)
    parent = getattr(site_tree, where)
    response = client.post(add_url(parent), news_form_data(slug="outside"))
    assert response.status_code in (302, 403)
    assert not NewsPage.objects.filter(slug="outside").exists()


@pytest.mark.django_db
def test_department_user_cannot_open_another_departments_draft(
    client, site_tree, department_user, other_draft
):
    client.force_login(department_user)
    for name in (
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:history",
    ):
        response = client.get(reverse(name, args=(other_draft.pk,)))
        assert response.status_code in (302, 403), name
        assert "Черновик ЖКХ" not in response.content.decode()


@pytest.mark.django_db
def test_department_user_does_not_see_other_areas_in_the_explorer(
    client, site_tree, department_user, other_draft
):
    client.force_login(department_user)
    response = client.get(
        reverse("wagtailadmin_explore", args=(site_tree.news_index.pk,)), follow=True
    )
    body = response.content.decode()
    assert response.status_code == 200
    # The explorer opens at the department's own area, the highest page it may work on.
    assert response.redirect_chain[-1][0] == reverse(
        "wagtailadmin_explore", args=(site_tree.area.pk,)
    )
    assert site_tree.area.title in body
    assert site_tree.other_area.title not in body
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Черновик"})
    assert "Черновик ЖКХ" not in search.content.decode()


@pytest.mark.django_db
def test_department_user_cannot_edit_another_departments_draft(
    client, site_tree, department_user, other_draft
):
    client.force_login(department_user)
    url = reverse("wagtailadmin_pages:edit", args=(other_draft.pk,))
    client.post(url, news_form_data(title="Взломано", slug=other_draft.slug))
    other_draft.refresh_from_db()
    assert other_draft.get_latest_revision_as_object().title == "Черновик ЖКХ"


@pytest.mark.django_db
def test_department_users_edit_their_colleagues_drafts(client, site_tree, department_user):
    colleague = UserFactory(username="edu2", groups=[site_tree.department.group_name])
    page = NewsPageFactory(parent=site_tree.area, live=False, owner=colleague)
    page.save_revision()
    assert page.permissions_for_user(department_user).can_edit()


@pytest.mark.django_db
def test_an_editor_cannot_publish_without_the_head(client, site_tree, editor, other_draft):
    client.force_login(editor)
    client.post(
        add_url(site_tree.news_index), news_form_data(slug="by-editor", **{"action-publish": "1"})
    )
    page = NewsPage.objects.filter(slug="by-editor").first()
    assert page is None or not page.live
    assert not other_draft.permissions_for_user(editor).can_publish()
    assert other_draft.permissions_for_user(editor).can_edit()
    html = client.get(reverse("wagtailadmin_pages:edit", args=(other_draft.pk,))).content.decode()
    assert 'name="action-publish"' not in html
    assert "Срочная публикация" in html


@pytest.mark.django_db
def test_the_head_publishes_anywhere(client, site_tree, other_draft):
    head = UserFactory(username="head1", groups=[roles.HEAD_OF_PRESS_OFFICE])
    client.force_login(head)
    client.post(
        add_url(site_tree.news_index), news_form_data(slug="by-head", **{"action-publish": "1"})
    )
    assert NewsPage.objects.get(slug="by-head").live
    assert other_draft.permissions_for_user(head).can_publish()


@pytest.mark.django_db
def test_roles_without_newsroom_rights_cannot_write_news(site_tree):
    for role in (roles.EXECUTORS, roles.CURATORS, roles.ACCREDITATION):
        user = UserFactory(groups=[role])
        assert not site_tree.news_index.permissions_for_user(user).can_add_subpage()
        assert user.has_perm("wagtailadmin.access_admin")


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client, site_tree):
    response = client.get(add_url(site_tree.area))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
    assert Page.objects.filter(depth__gt=1).count() == 6
