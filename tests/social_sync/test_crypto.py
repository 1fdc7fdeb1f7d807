import pytest
from cryptography.fernet import Fernet

from social_sync import crypto
from social_sync.models import SocialAccount


@pytest.fixture(autouse=True)
def _forget_keys():
    crypto._fernet.cache_clear()
    yield
    crypto._fernet.cache_clear()


def test_a_secret_is_stored_encrypted_and_read_back(db, settings):
    settings.SOCIAL_TOKENS_KEYS = [Fernet.generate_key().decode()]
    account = SocialAccount.objects.create(network="vk", owner_id="5", name="Группа")
    account.set_secret("access_token", "vk1.a.secret-token-value")
    account.save()

    stored = SocialAccount.objects.values_list("access_token_encrypted", flat=True).get()
    assert "secret-token-value" not in stored
    assert SocialAccount.objects.get().get_secret("access_token") == "vk1.a.secret-token-value"


def test_keys_rotate_old_secrets_stay_readable(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SOCIAL_TOKENS_KEYS = [old]
    stored = crypto.encrypt("token")
    settings.SOCIAL_TOKENS_KEYS = [new, old]
    assert crypto.decrypt(stored) == "token"
    rotated = crypto.rotate(stored)
    settings.SOCIAL_TOKENS_KEYS = [new]
    assert crypto.decrypt(rotated) == "token"
    with pytest.raises(crypto.CredentialsUnreadable):
        crypto.decrypt(stored)


def test_without_configured_keys_the_secret_key_derives_one(settings):
    settings.SOCIAL_TOKENS_KEYS = []
    stored = crypto.encrypt("token")
    assert stored != "token" and crypto.decrypt(stored) == "token"
    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(crypto.CredentialsUnreadable):
        crypto.decrypt(stored)


def test_empty_secrets_stay_empty():
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""


def test_a_malformed_key_is_reported_by_the_system_checks(settings):
    from social_sync.checks import tokens_key_configured, tokens_keys_valid

    settings.SOCIAL_TOKENS_KEYS = ["not-a-key"]
    [error] = tokens_keys_valid(None)
    assert error.id == "social_sync.E001" and "not-a-key" not in error.msg
    settings.SOCIAL_TOKENS_KEYS = []
    assert [w.id for w in tokens_key_configured(None)] == ["social_sync.W001"]
