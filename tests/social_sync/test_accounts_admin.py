"""The accounts admin: only editors and administrators, secrets never shown back, validation."""

import datetime
import json
import re

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

import pytest

from newsroom import roles
from social_sync.models import Network, SocialAccount
from social_sync.wagtail_hooks import social_problems_panel
from tests.factories import UserFactory
from tests.social_sync.factories import OutboxItemFactory, SocialAccountFactory

SNIPPET = "wagtailsnippets_social_sync_socialaccount"
CHOOSER = "wagtailsnippetchoosers_social_sync_socialaccount"
REFUSED_GROUPS = [
    roles.HEAD_OF_PRESS_OFFICE,
    roles.EXECUTORS,
    roles.CURATORS,
    roles.ACCREDITATION,
]


@pytest.fixture
def editor(db):
    return UserFactory(username="social-editor", groups=[roles.EDITORS])


@pytest.fixture
def administrator(db):
    return UserFactory(username="social-admin", groups=[roles.ADMINISTRATORS])


@pytest.fixture
def account(db):
    return SocialAccountFactory(refreshable=True, name="Администрация района ВК", owner_id="1001")


def edit_url(account):
    return reverse(f"{SNIPPET}:edit", args=[account.pk])


def all_admin_urls(account, item, sandbox):
    """Every admin URL of social_sync: the snippet, its chooser, the outbox, report, sandbox."""
    pk = [account.pk]
    return [
        reverse(f"{SNIPPET}:list"),
        reverse(f"{SNIPPET}:list_results"),
        reverse(f"{SNIPPET}:add"),
        reverse(f"{SNIPPET}:edit", args=pk),
        reverse(f"{SNIPPET}:delete", args=pk),
        reverse(f"{SNIPPET}:usage", args=pk),
        reverse(f"{SNIPPET}:history", args=pk),
        reverse(f"{CHOOSER}:choose"),
        reverse(f"{CHOOSER}:choose_results"),
        reverse(f"{CHOOSER}:chosen", args=pk),
        reverse("social_sync:outbox"),
        reverse("social_sync:outbox_results"),
        reverse("social_sync:retry", args=[item.pk]),
        reverse("social_sync:sandbox_post", args=[sandbox.pk]),
        reverse("social_sync:norms_report"),
        reverse("social_sync:norms_report") + "?export=xlsx",
    ]


@pytest.fixture
def admin_urls(account):
    from social_sync.models import SandboxPost

    item = OutboxItemFactory(account=account, failed=True)
    sandbox = SandboxPost.objects.create(account=account, text="Текст поста")
    return all_admin_urls(account, item, sandbox)


def form_data(account=None, **overrides):
    """What the account form posts: the account's current settings, empty secret inputs."""
    data = {
        "network": Network.VK,
        "kind": "community",
        "owner_id": "777",
        "name": "Новое сообщество",
        "link": "",
        "is_active": "on",
        "auto_crosspost": "on",
        "post_news": "on",
        "delete_on_unpublish": "on",
        "weekly_norm": "5",
        "take_comments": "on",
        "rule_obscenity": "hide",
        "rule_insult": "flag",
        "rule_threat": "flag",
        "rule_spam": "flag",
        "rule_stop_word": "flag",
        "stop_words": "",
        "token_expires_at": "",
        "vk_client_id": "",
        "vk_device_id": "",
        "ok_application_key": "",
        "access_token": "",
        "refresh_token": "",
        "ok_application_secret": "",
        "ok_session_secret": "",
    }
    if account is not None:
        data.update(
            network=account.network,
            kind=account.kind,
            owner_id=account.owner_id,
            name=account.name,
            link=account.link,
            weekly_norm=str(account.weekly_norm),
            rule_obscenity=account.rule_obscenity,
            rule_insult=account.rule_insult,
            rule_threat=account.rule_threat,
            rule_spam=account.rule_spam,
            rule_stop_word=account.rule_stop_word,
            stop_words=account.stop_words,
            vk_client_id=account.vk_client_id,
            vk_device_id=account.vk_device_id,
            ok_application_key=account.ok_application_key,
        )
        if account.token_expires_at:
            local = timezone.localtime(account.token_expires_at)
            data["token_expires_at"] = local.strftime("%Y-%m-%d %H:%M")
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def menu_labels(response):
    """Labels of the admin sidebar's menu items (the sidebar is rendered from JSON)."""
    body = response.content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', body, re.S
    )
    labels = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.add(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return labels


def field_errors(response, name):
    form = response.context["form"]
    return [str(e) for e in form.errors.get(name, [])]


# Who may open it.


@pytest.mark.django_db
@pytest.mark.parametrize("group", [roles.EDITORS, roles.ADMINISTRATORS])
def test_editors_and_administrators_open_every_screen(client, admin_urls, group):
    client.force_login(UserFactory(username="allowed", groups=[group]))
    for url in admin_urls:
        if "/retry/" in url:
            continue  # checked below: it redirects once the row is not failed
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_superuser_opens_the_accounts(client, account):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(reverse(f"{SNIPPET}:list")).status_code == 200
    assert client.get(edit_url(account)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("group", REFUSED_GROUPS)
def test_other_roles_are_refused_every_url(client, admin_urls, group):
    client.force_login(UserFactory(username="refused", groups=[group]))
    for url in admin_urls:
        # The head of the press office reads the norms report (she answers for the norms).
        reads = group == roles.HEAD_OF_PRESS_OFFICE and url.startswith(
            reverse("social_sync:norms_report")
        )
        assert client.get(url).status_code == (200 if reads else 403), url
    # Nor can they change anything by posting.
    assert client.post(admin_urls[2], form_data()).status_code == 403
    assert not SocialAccount.objects.filter(owner_id="777").exists()


@pytest.mark.django_db
def test_department_users_are_refused_every_url(client, site_tree, admin_urls):
    client.force_login(UserFactory(username="dept", groups=[site_tree.department.group_name]))
    for url in admin_urls:
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_a_model_permission_alone_does_not_open_the_accounts(client, account):
    """Someone given the permissions by mistake (say the head) is still kept out."""
    head = Group.objects.get(name=roles.HEAD_OF_PRESS_OFFICE)
    head.permissions.add(*Group.objects.get(name=roles.EDITORS).permissions.all())
    client.force_login(UserFactory(username="head", groups=[roles.HEAD_OF_PRESS_OFFICE]))
    assert client.get(reverse(f"{SNIPPET}:list")).status_code == 403
    assert client.get(edit_url(account)).status_code == 403


@pytest.mark.django_db
def test_migration_grants_account_permissions_to_editors_and_administrators():
    wanted = {
        "add_socialaccount",
        "change_socialaccount",
        "delete_socialaccount",
        "view_socialaccount",
    }
    for name in (roles.EDITORS, roles.ADMINISTRATORS):
        codenames = set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="social_sync")
            .values_list("codename", flat=True)
        )
        assert wanted <= codenames
    for name in REFUSED_GROUPS:
        assert not (
            Group.objects.get(name=name)
            .permissions.filter(
                content_type__app_label="social_sync", content_type__model="socialaccount"
            )
            .exists()
        )
    # Comments are moderated by the press office (its head too), nobody else.
    moderators = Group.objects.filter(
        permissions__codename="moderate_comment", permissions__content_type__app_label="social_sync"
    )
    assert set(moderators.values_list("name", flat=True)) == {
        roles.EDITORS,
        roles.HEAD_OF_PRESS_OFFICE,
        roles.ADMINISTRATORS,
    }


@pytest.mark.django_db
def test_menu_shows_the_social_group_to_editors_only(client, editor):
    client.force_login(editor)
    labels = menu_labels(client.get(reverse("wagtailadmin_home")))
    assert {"Соцсети", "Аккаунты соцсетей", "Очередь отправки", "Нормы публикаций"} <= labels
    assert "Нормы публикаций в соцсетях" in labels  # in «Отчёты»
    client.force_login(UserFactory(username="curator", groups=[roles.CURATORS]))
    labels = menu_labels(client.get(reverse("wagtailadmin_home")))
    assert not labels & {"Соцсети", "Аккаунты соцсетей", "Нормы публикаций в соцсетях"}


# Secrets are write-only.


@pytest.mark.django_db
def test_stored_secrets_are_never_rendered(client, editor, account):
    account.ok_application_key = ""
    secrets = [account.get_secret("access_token"), account.get_secret("refresh_token")]
    client.force_login(editor)
    response = client.get(edit_url(account))
    body = response.content.decode()
    for secret in secrets:
        assert secret not in body
    assert account.access_token_encrypted not in body
    statuses = dict(re.findall(r'data-secret-status="(\w+)">([^<]+)<', body))
    assert statuses["access_token"].startswith("сохранён")
    assert statuses["refresh_token"].startswith("сохранён")
    assert statuses["ok_application_secret"] == "не задан"
    # An invalid submission does not echo a newly typed secret back either.
    response = client.post(
        edit_url(account), form_data(account, name="", access_token="typed-new-secret-42")
    )
    assert response.status_code == 200
    assert "typed-new-secret-42" not in response.content.decode()


@pytest.mark.django_db
def test_list_and_history_do_not_show_secrets(client, editor, account):
    client.force_login(editor)
    client.post(edit_url(account), form_data(account, access_token="fresh-secret-token-1"))
    for url in (reverse(f"{SNIPPET}:list"), reverse(f"{SNIPPET}:history", args=[account.pk])):
        body = client.get(url).content.decode()
        assert "fresh-secret-token-1" not in body
        assert "refresh-1001-Wt55pL" not in body


@pytest.mark.django_db
def test_empty_inputs_keep_the_stored_secrets(client, editor, account):
    client.force_login(editor)
    response = client.post(edit_url(account), form_data(account, name="Новое название"))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "Новое название"
    assert account.get_secret("access_token") == "access-1001-Zq81vK"
    assert account.get_secret("refresh_token") == "refresh-1001-Wt55pL"


@pytest.mark.django_db
def test_new_token_replaces_the_old_one_and_clears_the_problem(client, editor, account):
    account.credentials_problem = "Нужен повторный вход."
    account.credentials_problem_at = timezone.now()
    account.save()
    client.force_login(editor)
    before = timezone.now()
    response = client.post(edit_url(account), form_data(account, access_token="  new-token-5  "))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.get_secret("access_token") == "new-token-5"
    assert account.get_secret("refresh_token") == "refresh-1001-Wt55pL"
    assert account.credentials_problem == "" and account.credentials_problem_at is None
    # A VK ID token typed in without its expiry is taken to live an hour.
    assert before + datetime.timedelta(minutes=59) < account.token_expires_at
    assert account.token_expires_at <= timezone.now() + datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_clear_checkbox_removes_every_secret(client, editor, account):
    client.force_login(editor)
    response = client.post(
        edit_url(account),
        form_data(account, vk_client_id="", vk_device_id="", clear_credentials="on"),
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert not any(
        account.has_secret(name)
        for name in ("access_token", "refresh_token", "ok_application_secret", "ok_session_secret")
    )
    assert account.is_sandbox
    assert account.token_expires_at is None


@pytest.mark.django_db
def test_clear_checkbox_with_a_new_secret_is_refused(client, editor, account):
    client.force_login(editor)
    response = client.post(
        edit_url(account), form_data(account, clear_credentials="on", access_token="other")
    )
    assert response.status_code == 200
    assert "одновременно" in field_errors(response, "clear_credentials")[0]
    account.refresh_from_db()
    assert account.get_secret("access_token") == "access-1001-Zq81vK"


@pytest.mark.django_db
def test_edit_page_shows_expiry_and_credentials_problem(client, editor, account):
    account.token_expires_at = timezone.now() + datetime.timedelta(minutes=30)
    account.credentials_problem = "Не удалось обновить ключ доступа ВКонтакте."
    account.save()
    client.force_login(editor)
    body = client.get(edit_url(account)).content.decode()
    assert "data-token-expiry" in body and "Ключ доступа действует до" in body
    assert "Не удалось обновить ключ доступа ВКонтакте." in body
    assert "wall, photos, groups, offline" in body
    assert "api-support@ok.ru" in body


@pytest.mark.django_db
def test_account_without_credentials_is_shown_as_sandbox(client, editor):
    account = SocialAccountFactory(name="Песочница")
    client.force_login(editor)
    body = client.get(edit_url(account)).content.decode()
    assert "песочница" in body


@pytest.mark.django_db
def test_editor_adds_an_account_with_credentials(client, editor, site_tree):
    client.force_login(editor)
    response = client.post(
        reverse(f"{SNIPPET}:add"),
        form_data(
            owner_id="987654",
            name="Глава района",
            kind="person",
            access_token="head-token",
            sections=[str(site_tree.head.pk)],
            post_events="on",
            weekly_norm="2",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    account = SocialAccount.objects.get(owner_id="987654")
    assert account.get_secret("access_token") == "head-token"
    assert account.token_expires_at is None  # no refresh token: a long-lived token
    assert list(account.sections.all()) == [site_tree.head.page_ptr]
    assert account.weekly_norm == 2 and account.post_events


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("network", "owner_id", "token"),
    [("telegram", "@adm_rajona", "7000001:AAH-bot"), ("max", "-72000000000001", "max-bot-token")],
)
def test_editor_adds_a_bots_channel(client, editor, network, owner_id, token):
    client.force_login(editor)
    response = client.post(
        reverse(f"{SNIPPET}:add"),
        form_data(network=network, owner_id=owner_id, name="Канал", access_token=token),
    )
    assert response.status_code == 302, response.context["form"].errors
    account = SocialAccount.objects.get(network=network)
    assert account.owner_id == owner_id and account.get_secret("access_token") == token
    assert not account.is_sandbox
    assert token not in account.access_token_encrypted  # encrypted at rest
    # A field of another network is refused with a reason.
    refused = client.post(
        reverse(f"{SNIPPET}:edit", args=[account.pk]),
        form_data(account, network=network, ok_application_key="CBAAAA"),
    )
    assert "нужен только токен бота" in refused.content.decode()


@pytest.mark.django_db
def test_sections_offer_the_section_pages(client, editor, site_tree):
    client.force_login(editor)
    form = client.get(reverse(f"{SNIPPET}:add")).context["form"]
    offered = set(form.fields["sections"].queryset.values_list("pk", flat=True))
    assert offered == {
        site_tree.news_index.pk,
        site_tree.area.pk,
        site_tree.other_area.pk,
        site_tree.head.pk,
        site_tree.event_index.pk,
    }


# Validation.


@pytest.mark.django_db
@pytest.mark.parametrize("owner_id", ["-1001", "12a", "club1001", "１２３"])
def test_owner_id_must_be_digits(client, editor, owner_id):
    client.force_login(editor)
    response = client.post(reverse(f"{SNIPPET}:add"), form_data(owner_id=owner_id))
    assert response.status_code == 200
    assert "только цифры" in field_errors(response, "owner_id")[0]


@pytest.mark.django_db
def test_duplicate_account_has_a_clear_message(client, editor, account):
    client.force_login(editor)
    response = client.post(reverse(f"{SNIPPET}:add"), form_data(owner_id="1001", name="Дубликат"))
    assert response.status_code == 200
    errors = field_errors(response, "owner_id")
    assert len(errors) == 1
    assert "уже добавлен" in errors[0] and "Администрация района ВК" in errors[0]
    assert response.context["form"].non_field_errors() == []
    # The same ID as a person's page is another account.
    response = client.post(
        reverse(f"{SNIPPET}:add"), form_data(owner_id="1001", kind="person", name="Личная")
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_vk_refresh_token_needs_client_and_device_id(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse(f"{SNIPPET}:add"), form_data(access_token="a", refresh_token="r")
    )
    assert response.status_code == 200
    assert "ID приложения VK ID" in field_errors(response, "vk_client_id")[0]
    assert "device_id" in field_errors(response, "vk_device_id")[0]
    response = client.post(
        reverse(f"{SNIPPET}:add"),
        form_data(access_token="a", refresh_token="r", vk_client_id="5190", vk_device_id="dev"),
    )
    assert response.status_code == 302
    assert SocialAccount.objects.get(owner_id="777").can_refresh


@pytest.mark.django_db
def test_removing_client_id_of_a_refreshable_account_is_refused(client, editor, account):
    client.force_login(editor)
    response = client.post(edit_url(account), form_data(account, vk_client_id=""))
    assert response.status_code == 200
    assert field_errors(response, "vk_client_id")


@pytest.mark.django_db
def test_ok_credentials_come_complete_or_not_at_all(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse(f"{SNIPPET}:add"),
        form_data(network="ok", ok_application_key="CBAKEY", access_token="ok-token"),
    )
    assert response.status_code == 200
    assert "вводятся вместе" in field_errors(response, "ok_application_secret")[0]
    assert not field_errors(response, "ok_application_key")
    response = client.post(
        reverse(f"{SNIPPET}:add"),
        form_data(
            network="ok",
            ok_application_key="CBAKEY",
            access_token="ok-token",
            ok_application_secret="ok-secret",
        ),
    )
    assert response.status_code == 302
    account = SocialAccount.objects.get(network="ok", owner_id="777")
    assert not account.is_sandbox
    # No credentials at all is fine too: a sandbox account.
    response = client.post(
        reverse(f"{SNIPPET}:add"), form_data(network="ok", owner_id="778", name="ОК песочница")
    )
    assert response.status_code == 302
    assert SocialAccount.objects.get(owner_id="778").is_sandbox


@pytest.mark.django_db
def test_ok_fields_are_refused_on_a_vk_account(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse(f"{SNIPPET}:add"), form_data(ok_application_secret="s", access_token="t")
    )
    assert response.status_code == 200
    assert "только для Одноклассников" in field_errors(response, "ok_application_secret")[0]


# The dashboard.


@pytest.mark.django_db
def test_dashboard_warns_editors_about_failures_and_access_problems(client, editor, account):
    client.force_login(editor)
    assert "data-social-problems" not in client.get(reverse("wagtailadmin_home")).content.decode()
    OutboxItemFactory(account=account, failed=True)
    account.credentials_problem = "Нужен повторный вход администратора."
    account.save()
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-social-problems" in body
    assert "Отправок в соцсети с ошибкой: 1" in body
    assert reverse("social_sync:outbox") + "?state=failed" in body
    assert edit_url(account) in body
    assert "Нужен повторный вход администратора." in body


@pytest.mark.django_db
def test_dashboard_panel_is_not_for_other_roles(account):
    OutboxItemFactory(account=account, failed=True)
    curator = UserFactory(username="cur", groups=[roles.CURATORS])
    assert social_problems_panel(curator) is None
    editor = UserFactory(username="ed", groups=[roles.EDITORS])
    assert social_problems_panel(editor) is not None


@pytest.mark.django_db
def test_switching_network_with_stored_keys_asks_to_clear_them(client, editor, account):
    client.force_login(editor)
    response = client.post(
        edit_url(account), form_data(account, network="ok", vk_client_id="", vk_device_id="")
    )
    assert response.status_code == 200
    assert "удалить все ключи" in field_errors(response, "refresh_token")[0]
    response = client.post(
        edit_url(account),
        form_data(account, network="ok", vk_client_id="", vk_device_id="", clear_credentials="on"),
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.network == "ok" and account.is_sandbox
