"""``create_api_token``: a service user per integration and a token shown exactly once."""

import io
import json
import re

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from wagtail.models import APIToken, ModelLogEntry
from wagtail.models.api import KEY_CHECKSUM_LENGTH, KEY_SECRET_LENGTH

import pytest

from newsroom.models import Case

TOKEN = re.compile(r"wagtail_[0-9A-Za-z]{%d}" % (KEY_SECRET_LENGTH + KEY_CHECKSUM_LENGTH))
PAYLOAD = {
    "network": "telegram",
    "text": "В посёлке Новый третий день нет света, а в администрации не берут трубку.",
    "detected_at": "2026-11-20T16:00:00+03:00",
    "external_id": "tg-7",
}


def run(*args):
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out)
    output = out.getvalue()
    tokens = TOKEN.findall(output)
    assert len(tokens) == 1, output
    assert output.count(tokens[0]) == 1, "the token is printed exactly once"
    return tokens[0], output


def send(client, token, **overrides):
    return client.post(
        "/api/v1/messages/",
        json.dumps({**PAYLOAD, **overrides}, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.mark.django_db
def test_creates_a_service_user_with_only_the_case_permissions():
    token, output = run("Медиалогия")

    user = get_user_model().objects.get(username="integration-medialogiia")
    assert "Создан служебный пользователь «integration-medialogiia»." in output
    assert user.is_active
    assert not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert not user.groups.exists()
    assert set(user.get_all_permissions()) == {"newsroom.add_case", "newsroom.view_case"}
    assert not user.has_perm("wagtailadmin.access_admin")
    assert user.last_name == "Медиалогия"

    api_token = APIToken.objects.get(user=user)
    assert api_token.name == "Медиалогия"
    assert token.startswith(api_token.prefix)


@pytest.mark.django_db
def test_the_token_is_shown_once_with_an_explanation_and_stored_hashed():
    token, output = run("Медиалогия")

    assert "Токен показан один раз" in output
    assert "Authorization: Bearer <токен>" in output
    api_token = APIToken.objects.get()
    assert api_token.key_hash == APIToken.hash_token(token)
    assert api_token.key_hash != token
    stored = [str(value) for value in APIToken.objects.values_list().get()]
    assert not any(token in value for value in stored), "the plaintext is nowhere in the row"
    logged = [json.dumps(entry.data) for entry in ModelLogEntry.objects.all()]
    assert logged, "the creation is in the audit log"
    assert not any(token in entry for entry in logged)


@pytest.mark.django_db
def test_the_token_works_against_the_api(client):
    token, _output = run("Медиалогия")
    response = send(client, token)
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.source == "integration-medialogiia"
    assert (
        client.get(f"/api/v1/messages/{case.pk}/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 200
    )


@pytest.mark.django_db
def test_running_again_adds_another_token_for_the_same_user(client):
    first, _output = run("Медиалогия")
    second, output = run("Медиалогия", "--description", "Резервный сервер")

    assert first != second
    assert get_user_model().objects.filter(username__startswith="integration-").count() == 1
    assert "уже есть: ему выдан ещё один токен (действующих токенов до этого: 1)" in output
    assert "Прежние токены продолжают действовать" in output
    assert APIToken.objects.filter(revoked_at__isnull=True).count() == 2
    assert send(client, first).status_code == 201
    assert send(client, second).status_code == 200, "same integration, same external_id"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_revoke_others_leaves_only_the_new_token(client):
    first, _output = run("Медиалогия")
    second, _output = run("Медиалогия")
    third, output = run("Медиалогия", "--revoke-others")

    assert "Отозвано прежних токенов: 2." in output
    active = APIToken.objects.filter(revoked_at__isnull=True)
    assert list(active) == [APIToken.objects.get(key_hash=APIToken.hash_token(third))]
    assert send(client, first).status_code == 401
    assert send(client, second).status_code == 401
    assert send(client, third).status_code == 201


@pytest.mark.django_db
def test_the_description_goes_to_the_audit_log():
    run("Медиалогия", "--description", "Мониторинг соцсетей, договор № 12")
    entry = ModelLogEntry.objects.get(action="wagtail.apitoken.create")
    assert entry.data["description"] == "Мониторинг соцсетей, договор № 12"


@pytest.mark.django_db
def test_integrations_with_different_names_are_different_sources(client):
    first, _output = run("Медиалогия")
    second, _output = run("Brand Analytics")
    assert send(client, first).status_code == 201
    assert send(client, second).status_code == 201, "the same external_id from another source"
    assert set(Case.objects.values_list("source", flat=True)) == {
        "integration-medialogiia",
        "integration-brand-analytics",
    }


@pytest.mark.django_db
def test_a_name_without_letters_is_refused():
    with pytest.raises(CommandError, match="нужны буквы или цифры"):
        call_command("create_api_token", "!!!", stdout=io.StringIO())
    assert not APIToken.objects.exists()


@pytest.mark.django_db
def test_a_name_too_long_for_a_source_is_refused():
    with pytest.raises(CommandError, match="длиннее 64 символов"):
        call_command("create_api_token", "м" * 60, stdout=io.StringIO())
    assert not get_user_model().objects.filter(username__startswith="integration-").exists()


@pytest.mark.django_db
def test_a_person_with_the_same_username_is_not_turned_into_an_integration():
    person = get_user_model().objects.create_user(
        "integration-medialogiia", password="secret-pass-123"
    )
    with pytest.raises(CommandError, match="не служебная учётная запись"):
        call_command("create_api_token", "Медиалогия", stdout=io.StringIO())
    assert not APIToken.objects.exists()
    assert not person.user_permissions.exists()


@pytest.mark.django_db
def test_a_disabled_integration_gets_no_new_token():
    run("Медиалогия")
    get_user_model().objects.filter(username="integration-medialogiia").update(is_active=False)
    with pytest.raises(CommandError, match="отключён"):
        call_command("create_api_token", "Медиалогия", stdout=io.StringIO())
    assert APIToken.objects.count() == 1
