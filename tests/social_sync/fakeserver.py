"""The fake VK/OK server wired into the project's settings, and accounts that use it."""

import pytest

from social_sync.models import AccountKind, Network
from tests.fakes.social_server import (
    OK_DEFAULT_APP_KEY,
    OK_DEFAULT_APP_SECRET,
    OK_DEFAULT_GID,
    OK_DEFAULT_TOKEN,
    OK_DEFAULT_USER_ID,
    FakeSocialServer,
)
from tests.social_sync.conftest import make_account

VK_GROUP = 1001
VK_HEAD_USER = 55
VK_ADMIN_TOKEN = "vk-admin-user-token"
VK_HEAD_TOKEN = "vk-head-user-token"


def point_settings_at(settings, fake):
    settings.VK_API_URL = fake.vk_api_url
    settings.OK_API_URL = fake.ok_api_url
    settings.VK_ID_TOKEN_URL = fake.vk_id_token_url


@pytest.fixture
def fake(settings):
    with FakeSocialServer(seed=7) as server:
        server.add_vk_token(VK_ADMIN_TOKEN, kind="user", user_id=10, admin_of=(VK_GROUP,))
        server.add_vk_token(VK_HEAD_TOKEN, kind="user", user_id=VK_HEAD_USER)
        point_settings_at(settings, server)
        yield server


def vk_community(**fields):
    return make_account(
        network=Network.VK, owner_id=str(VK_GROUP), name="Группа ВК", token=VK_ADMIN_TOKEN, **fields
    )


def vk_head_page(**fields):
    return make_account(
        network=Network.VK,
        kind=AccountKind.PERSON,
        owner_id=str(VK_HEAD_USER),
        name="Глава ВК",
        token=VK_HEAD_TOKEN,
        **fields,
    )


def ok_group(**fields):
    return make_account(
        network=Network.OK,
        owner_id=str(OK_DEFAULT_GID),
        name="Группа ОК",
        token=OK_DEFAULT_TOKEN,
        app_key=OK_DEFAULT_APP_KEY,
        app_secret=OK_DEFAULT_APP_SECRET,
        **fields,
    )


__all__ = [
    "OK_DEFAULT_GID",
    "OK_DEFAULT_USER_ID",
    "fake",
    "ok_group",
    "vk_community",
    "vk_head_page",
]
