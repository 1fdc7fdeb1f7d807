"""``manage.py add_social_account``: secrets only from the environment, never printed; a re-run
updates the account."""

import datetime
import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import pytest

from social_sync.models import SocialAccount

VK_TOKEN = "vk1.a.SECRET-user-token-0042"
VK_REFRESH = "vk1.r.SECRET-refresh-0042"
VK_DEVICE = "device-SECRET-77"
OK_TOKEN = "ok-SECRET-access-token"
OK_APP_SECRET = "ok-SECRET-application-secret"
OK_SESSION = "ok-SECRET-session"
ALL_SECRETS = (VK_TOKEN, VK_REFRESH, VK_DEVICE, OK_TOKEN, OK_APP_SECRET, OK_SESSION)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("add_social_account", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def vk_args(*extra, owner_id="1001", name="Администрация района"):
    return (
        "--network",
        "vk",
        "--kind",
        "community",
        "--owner-id",
        owner_id,
        "--name",
        name,
        *extra,
    )


@pytest.fixture
def env(monkeypatch):
    for name, value in {
        "VK_TOKEN": VK_TOKEN,
        "VK_REFRESH": VK_REFRESH,
        "VK_DEVICE": VK_DEVICE,
        "OK_TOKEN": OK_TOKEN,
        "OK_APP_SECRET": OK_APP_SECRET,
        "OK_SESSION": OK_SESSION,
    }.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.mark.django_db
def test_creates_a_sandbox_account_without_secrets():
    output = run(*vk_args("--link", "https://vk.com/club1001", "--weekly-norm", "2"))
    account = SocialAccount.objects.get()
    assert (account.network, account.kind, account.owner_id) == ("vk", "community", "1001")
    assert account.name == "Администрация района"
    assert account.link == "https://vk.com/club1001"
    assert account.weekly_norm == 2
    assert account.is_sandbox
    assert "Аккаунт создан: «Администрация района»" in output
    assert "песочнице" in output


@pytest.mark.django_db
def test_reads_secrets_from_the_environment_and_never_prints_them(env, capsys):
    output = run(
        *vk_args(
            "--token-env",
            "VK_TOKEN",
            "--refresh-token-env",
            "VK_REFRESH",
            "--vk-client-id",
            "51900001",
            "--vk-device-id-env",
            "VK_DEVICE",
        )
    )
    captured = capsys.readouterr()
    for secret in ALL_SECRETS:
        assert secret not in output
        assert secret not in captured.out + captured.err
    account = SocialAccount.objects.get()
    assert account.get_secret("access_token") == VK_TOKEN
    assert account.get_secret("refresh_token") == VK_REFRESH
    assert account.vk_device_id == VK_DEVICE
    assert account.vk_client_id == "51900001"
    assert account.can_refresh and not account.is_sandbox
    assert VK_TOKEN not in account.access_token_encrypted
    # A VK ID token is refreshed within the hour.
    assert account.token_expires_at <= timezone.now() + datetime.timedelta(hours=1)
    assert (
        "Сохранены ключи: ключ доступа (access token), ключ обновления (refresh token)." in output
    )
    assert "в песочнице" not in output


@pytest.mark.django_db
def test_rerun_updates_instead_of_duplicating(env):
    run(*vk_args("--weekly-norm", "2"))
    first = SocialAccount.objects.get()
    output = run(*vk_args("--name", "Новое название", "--token-env", "VK_TOKEN", "--events"))
    assert SocialAccount.objects.count() == 1
    account = SocialAccount.objects.get()
    assert account.pk == first.pk
    assert account.name == "Новое название"
    assert account.weekly_norm == 2  # not given again: kept
    assert account.post_events
    assert account.get_secret("access_token") == VK_TOKEN
    assert "Аккаунт обновлён: «Новое название»" in output

    # Another secret replaces the stored one; a secret not given again stays.
    env.setenv("VK_TOKEN", "vk1.a.SECRET-second")
    run(*vk_args("--no-auto"))
    account.refresh_from_db()
    assert account.get_secret("access_token") == VK_TOKEN
    assert not account.auto_crosspost
    run(*vk_args("--token-env", "VK_TOKEN"))
    account.refresh_from_db()
    assert account.get_secret("access_token") == "vk1.a.SECRET-second"


@pytest.mark.django_db
def test_same_id_as_a_person_is_another_account():
    run(*vk_args())
    run("--network", "vk", "--kind", "person", "--owner-id", "1001", "--name", "Глава")
    assert SocialAccount.objects.count() == 2


@pytest.mark.django_db
def test_ok_account_with_complete_credentials(env):
    output = run(
        "--network",
        "ok",
        "--kind",
        "community",
        "--owner-id",
        "5500",
        "--name",
        "Группа ОК",
        "--token-env",
        "OK_TOKEN",
        "--ok-app-key",
        "CBAPUBLIC",
        "--ok-app-secret-env",
        "OK_APP_SECRET",
        "--ok-session-secret-env",
        "OK_SESSION",
    )
    account = SocialAccount.objects.get()
    assert account.ok_application_key == "CBAPUBLIC"
    assert account.get_secret("ok_application_secret") == OK_APP_SECRET
    assert account.get_secret("ok_session_secret") == OK_SESSION
    assert not account.is_sandbox
    assert account.token_expires_at is None
    for secret in ALL_SECRETS:
        assert secret not in output


@pytest.mark.django_db
@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_or_empty_variable_is_an_error(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    else:
        monkeypatch.setenv("NO_SUCH_TOKEN", value)
    with pytest.raises(
        CommandError, match="Переменная окружения NO_SUCH_TOKEN .*не задана или пуста"
    ):
        run(*vk_args("--token-env", "NO_SUCH_TOKEN"))
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("option", ["--token", "--token-env", "--ok-app-secret"])
def test_a_secret_given_as_an_argument_is_refused_and_not_echoed(option, capsys):
    with pytest.raises(CommandError) as error:
        run(*vk_args(option, VK_TOKEN))
    assert VK_TOKEN not in str(error.value)
    captured = capsys.readouterr()
    assert VK_TOKEN not in captured.out + captured.err
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_incomplete_ok_credentials_are_refused(env):
    with pytest.raises(
        CommandError, match="--ok-app-secret-env: Ключи Одноклассников вводятся вместе"
    ):
        run(
            "--network",
            "ok",
            "--kind",
            "community",
            "--owner-id",
            "5500",
            "--name",
            "ОК",
            "--token-env",
            "OK_TOKEN",
            "--ok-app-key",
            "CBAPUBLIC",
        )
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_vk_refresh_token_needs_client_and_device_id(env):
    with pytest.raises(CommandError) as error:
        run(*vk_args("--token-env", "VK_TOKEN", "--refresh-token-env", "VK_REFRESH"))
    message = str(error.value)
    assert "--vk-client-id" in message and "--vk-device-id-env" in message
    for secret in ALL_SECRETS:
        assert secret not in message


@pytest.mark.django_db
@pytest.mark.parametrize("owner_id", ["-1001", "club1001", ""])
def test_owner_id_must_be_digits(owner_id):
    with pytest.raises(CommandError, match="--owner-id: .*только цифры"):
        run(*vk_args(owner_id=owner_id))


@pytest.mark.django_db
def test_wrong_link_is_refused():
    with pytest.raises(CommandError, match="--link"):
        run(*vk_args("--link", "not a link"))
