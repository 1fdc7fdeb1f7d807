"""«Срочная публикация»: an editor publishes an emergency item with a reason, the head is told at
once, signs it off after the fact, and the report lists it."""

from django.core import mail
from django.urls import reverse

from wagtail.models import PageLogEntry

import pytest

from newsroom import roles
from newsroom.models import NewsPage, UrgentPublication
from newsroom.urgent import services
from tests.factories import NewsPageFactory, UserFactory
from tests.newsroom.forms import news_form_data

pytestmark = pytest.mark.django_db

REASON = "Штормовое предупреждение МЧС: ветер до 25 м/с, публикуем немедленно"


@pytest.fixture
def editor(site_tree):
    return UserFactory(username="urgent-editor", groups=[roles.EDITORS], first_name="Ольга")


@pytest.fixture
def head(site_tree):
    return UserFactory(
        username="urgent-head", groups=[roles.HEAD_OF_PRESS_OFFICE], email="head@example.ru"
    )


@pytest.fixture
def draft(site_tree):
    page = NewsPageFactory(parent=site_tree.area, title="Штормовое предупреждение", live=False)
    page.save_revision()
    return page


def urgent_url(page):
    return reverse("newsroom_urgent_publish", args=(page.pk,))


def test_the_editor_menu_item_saves_the_draft_and_asks_for_the_reason(client, editor, draft):
    client.force_login(editor)
    data = news_form_data(slug=draft.slug, title="Штормовое предупреждение: ветер до 25 м/с")
    data["action-urgent-publish"] = "1"
    response = client.post(reverse("wagtailadmin_pages:edit", args=(draft.pk,)), data)
    assert response.status_code == 302
    assert response["Location"] == urgent_url(draft)
    draft.refresh_from_db()
    assert not draft.live
    assert draft.get_latest_revision().as_object().title.endswith("25 м/с")
    form = client.get(response["Location"])
    assert "Причина срочной публикации" in form.content.decode()


def test_a_reason_is_required_and_nothing_is_published_without_it(client, editor, draft):
    client.force_login(editor)
    response = client.post(urgent_url(draft), {"reason": "срочно"})
    assert response.status_code == 200
    assert "не короче 10 символов" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live
    assert not UrgentPublication.objects.exists()


def test_urgent_publication_publishes_tells_the_head_and_waits_for_her(
    client, editor, head, draft, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urgent_url(draft), {"reason": REASON})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    record = UrgentPublication.objects.get()
    assert (record.page_id, record.published_by, record.reason) == (draft.pk, editor, REASON)
    assert not record.signed_off
    assert [message.to for message in mail.outbox] == [["head@example.ru"]]
    assert "Штормовое предупреждение" in mail.outbox[0].subject
    assert REASON in mail.outbox[0].body
    assert PageLogEntry.objects.filter(page=draft, action=services.PUBLISH_ACTION).exists()

    client.force_login(head)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Срочные публикации ждут вашего утверждения" in dashboard
    assert REASON in dashboard

    response = client.post(reverse("newsroom_urgent_sign_off", args=(record.pk,)))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.signed_off_by == head and record.signed_off
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Срочные публикации ждут вашего утверждения" not in dashboard

    again = client.post(reverse("newsroom_urgent_sign_off", args=(record.pk,)), follow=True)
    assert "уже утверждена" in again.content.decode()


def test_a_workflow_in_progress_is_cancelled_by_the_urgent_publication(
    client, editor, site_tree, draft
):
    department_user = UserFactory(groups=[site_tree.department.group_name])
    client.force_login(department_user)
    client.post(
        reverse("wagtailadmin_pages:edit", args=(draft.pk,)),
        news_form_data(slug=draft.slug, title=draft.title, **{"action-submit": "1"}),
    )
    draft.refresh_from_db()
    assert draft.current_workflow_state is not None
    client.force_login(editor)
    client.post(urgent_url(draft), {"reason": REASON})
    draft.refresh_from_db()
    assert draft.live
    assert draft.current_workflow_state is None


def test_the_report_lists_urgent_publications_for_the_press_office_only(
    client, editor, head, draft
):
    services.publish_urgently(draft, editor, REASON)
    for user in (editor, head):
        client.force_login(user)
        html = client.get(reverse("newsroom_urgent_report")).content.decode()
        assert "Штормовое предупреждение" in html and REASON in html
    for role in (roles.EXECUTORS, roles.CURATORS, roles.ACCREDITATION):
        client.force_login(UserFactory(groups=[role]))
        assert client.get(reverse("newsroom_urgent_report")).status_code in (302, 403)
    department_user = UserFactory(groups=["Подразделение: Образование-т"])
    client.force_login(department_user)
    assert client.get(reverse("newsroom_urgent_report")).status_code in (302, 403)


def test_only_those_who_cannot_publish_use_the_urgent_path(client, head, site_tree, draft):
    client.force_login(head)
    assert client.get(urgent_url(draft)).status_code in (302, 403)  # she publishes as usual
    department_user = UserFactory(groups=[site_tree.department.group_name])
    client.force_login(department_user)
    assert client.get(urgent_url(draft)).status_code in (302, 403)
    assert not NewsPage.objects.get(pk=draft.pk).live


def test_an_editor_cannot_sign_off(client, editor, draft):
    record = services.publish_urgently(draft, editor, REASON)
    client.force_login(editor)
    assert client.post(reverse("newsroom_urgent_sign_off", args=(record.pk,))).status_code in (
        302,
        403,
    )
    record.refresh_from_db()
    assert not record.signed_off


@pytest.mark.parametrize(
    "next_url, lands_on",
    [
        ("https://evil.example/phish", "/admin/reports/urgent/"),
        ("//evil.example/phish", "/admin/reports/urgent/"),
        ("javascript:alert(1)", "/admin/reports/urgent/"),
        ("/admin/", "/admin/"),
    ],
)
def test_the_sign_off_returns_only_to_our_own_pages(
    client, editor, head, draft, next_url, lands_on
):
    record = services.publish_urgently(draft, editor, REASON)
    client.force_login(head)
    response = client.post(
        reverse("newsroom_urgent_sign_off", args=(record.pk,)), {"next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("newsroom_urgent_report") if lands_on.startswith("/admin/reports") else lands_on
    )
    record.refresh_from_db()
    assert record.signed_off


def breadcrumbs(html):
    """The text of the admin header's breadcrumbs: the last one is what the header shows."""
    import re

    start = html.index('data-controller="w-breadcrumbs"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</ol>", start)]))


def test_the_report_and_the_lockouts_screen_are_headed_by_their_own_titles(
    client, editor, site_tree
):
    from newsroom import roles

    client.force_login(editor)
    html = client.get(reverse("newsroom_urgent_report")).content.decode()
    assert "Опубликовано без утверждения" in breadcrumbs(html)
    client.force_login(UserFactory(groups=[roles.ADMINISTRATORS]))
    html = client.get(reverse("newsroom_lockouts")).content.decode()
    assert "Блокировки входа" in breadcrumbs(html)
