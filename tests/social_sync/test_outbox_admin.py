"""«Очередь отправки»: the outbox list with its filters, the failed count, retry from the list."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from newsroom import roles
from social_sync.models import OutboxAction, OutboxState
from tests.factories import NewsPageFactory, UserFactory
from tests.social_sync.factories import OutboxItemFactory, SocialAccountFactory
from tests.social_sync.test_accounts_admin import menu_labels

OUTBOX = "social_sync:outbox"


@pytest.fixture
def editor(db):
    return UserFactory(username="outbox-editor", groups=[roles.EDITORS])


@pytest.fixture
def rows(db):
    vk = SocialAccountFactory(name="ВК района")
    ok = SocialAccountFactory(name="ОК района", ok=True)
    return {
        "vk_done": OutboxItemFactory(account=vk, done=True, page_title="Ремонт дороги"),
        "vk_failed": OutboxItemFactory(account=vk, failed=True, page_title="Сбор урожая"),
        "vk_edit": OutboxItemFactory(
            account=vk, action=OutboxAction.EDIT, page_title="Праздник в селе"
        ),
        "ok_failed": OutboxItemFactory(
            account=ok, failed=True, action=OutboxAction.DELETE, page_title="Отмена концерта"
        ),
        "ok_pending": OutboxItemFactory(account=ok, page_title="Приём граждан"),
    }


def titles(response):
    return {item.page_title for item in response.context["object_list"]}


@pytest.mark.django_db
def test_outbox_lists_every_row(client, editor, rows):
    client.force_login(editor)
    response = client.get(reverse(OUTBOX))
    assert response.status_code == 200
    assert titles(response) == {row.page_title for row in rows.values()}
    assert reverse(OUTBOX) == "/admin/social/outbox/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, expected",
    [
        ({"state": "failed"}, {"Сбор урожая", "Отмена концерта"}),
        ({"state": "done"}, {"Ремонт дороги"}),
        ({"action": "edit"}, {"Праздник в селе"}),
        ({"action": "delete"}, {"Отмена концерта"}),
        ({"state": "pending", "action": "post"}, {"Приём граждан"}),
    ],
)
def test_filters_by_state_and_action(client, editor, rows, params, expected):
    client.force_login(editor)
    assert titles(client.get(reverse(OUTBOX), params)) == expected


@pytest.mark.django_db
def test_filter_by_account(client, editor, rows):
    client.force_login(editor)
    account = rows["ok_failed"].account
    response = client.get(reverse(OUTBOX), {"account": account.pk})
    assert titles(response) == {"Отмена концерта", "Приём граждан"}
    response = client.get(reverse(OUTBOX), {"account": account.pk, "state": "failed"})
    assert titles(response) == {"Отмена концерта"}


@pytest.mark.django_db
def test_results_fragment_is_filtered_too(client, editor, rows):
    client.force_login(editor)
    response = client.get(reverse("social_sync:outbox_results"), {"state": "done"})
    assert response.status_code == 200
    assert titles(response) == {"Ремонт дороги"}


@pytest.mark.django_db
def test_columns_show_state_labels_links_and_retry_for_failed_rows_only(client, editor, rows):
    client.force_login(editor)
    body = client.get(reverse(OUTBOX)).content.decode()
    assert "выполнено" in body and "ошибка" in body and "в очереди" in body
    assert rows["vk_done"].remote_url in body
    assert "Сеть ответила ошибкой: доступ запрещён." in body
    retry_links = set(re.findall(r'href="/admin/social/outbox/(\d+)/retry/\?next=', body))
    assert retry_links == {str(rows["vk_failed"].pk), str(rows["ok_failed"].pk)}
    assert "Отправок с ошибкой: 2." in body


@pytest.mark.django_db
def test_material_links_to_the_page_editor(client, editor, site_tree):
    page = NewsPageFactory(parent=site_tree.news_index, title="Новость со ссылкой")
    OutboxItemFactory(page=page, page_title=page.title, failed=True)
    client.force_login(editor)
    body = client.get(reverse(OUTBOX)).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in body


@pytest.mark.django_db
def test_menu_shows_the_number_of_failed_rows(client, editor, rows):
    client.force_login(editor)
    labels = menu_labels(client.get(reverse("wagtailadmin_home")))
    assert "Очередь отправки — ошибок: 2" in labels


@pytest.mark.django_db
def test_menu_label_has_no_count_without_failures(client, editor):
    OutboxItemFactory(done=True)
    client.force_login(editor)
    labels = menu_labels(client.get(reverse("wagtailadmin_home")))
    assert "Очередь отправки" in labels
    assert not any(label.startswith("Очередь отправки —") for label in labels)


@pytest.mark.django_db
def test_retry_from_the_list_goes_back_to_it(
    client, editor, rows, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    item = rows["vk_failed"]
    back = reverse(OUTBOX) + "?state=failed"
    url = reverse("social_sync:retry", args=[item.pk])
    assert client.get(url, {"next": back}).status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    item.refresh_from_db()
    assert item.state == OutboxState.PENDING and item.attempts == 0
    # The badge is recounted at once after a retry.
    labels = menu_labels(client.get(reverse("wagtailadmin_home")))
    assert "Очередь отправки — ошибок: 1" in labels


@pytest.mark.django_db
def test_retry_of_a_row_no_longer_failed_redirects_to_the_outbox(client, editor, rows):
    client.force_login(editor)
    response = client.get(reverse("social_sync:retry", args=[rows["vk_done"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse(OUTBOX)


@pytest.mark.django_db
def test_retry_refuses_an_outside_next_address(
    client, editor, rows, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    url = reverse("social_sync:retry", args=[rows["vk_failed"].pk])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse(OUTBOX)


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(client, editor):
    client.force_login(editor)
    OutboxItemFactory.create_batch(3, failed=True)
    client.get(reverse(OUTBOX))  # warm caches (content types, menu)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(OUTBOX))
    OutboxItemFactory.create_batch(20, done=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(OUTBOX))
    assert len(many) == len(few)


@pytest.mark.django_db
def test_retry_all_failed_rows_of_one_account(client, site_tree):
    from social_sync.models import OutboxItem

    broken, other = SocialAccountFactory(name="Группа ВК"), SocialAccountFactory(name="Глава ВК")
    failed = [OutboxItemFactory(account=broken, failed=True) for _ in range(3)]
    untouched = OutboxItemFactory(account=other, failed=True)
    editor = UserFactory(groups=[roles.EDITORS])
    client.force_login(editor)
    listing = client.get(reverse("social_sync:outbox")).content.decode()
    assert "Повторить все" in listing and "Группа ВК" in listing

    url = reverse("social_sync:retry_account", args=(broken.pk,))
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "Снова в очереди отправок в «Группа ВК»: 3." in response.content.decode()
    states = set(
        OutboxItem.objects.filter(pk__in=[r.pk for r in failed]).values_list("state", flat=True)
    )
    assert states <= {
        OutboxState.PENDING,
        OutboxState.DONE,
    }  # queued (the sandbox may deliver at once)
    assert OutboxItem.objects.get(pk=untouched.pk).state == OutboxState.FAILED

    client.force_login(UserFactory(groups=[roles.CURATORS]))
    assert client.post(reverse("social_sync:retry_account", args=(other.pk,))).status_code in (
        302,
        403,
    )
    assert OutboxItem.objects.get(pk=untouched.pk).state == OutboxState.FAILED
