import pytest

from tests.fakes.social_server import FakeSocialServer
from tests.social_sync.helpers import (
    VK_ADMIN_TOKEN,
    VK_GROUP,
    VK_HEAD_TOKEN,
    VK_HEAD_USER,
    make_account,
    point_settings_at,
)


@pytest.fixture
def account_factory(db):
    return make_account


@pytest.fixture
def fake(settings):
    with FakeSocialServer(seed=7) as server:
        server.add_vk_token(VK_ADMIN_TOKEN, kind="user", user_id=10, admin_of=(VK_GROUP,))
        server.add_vk_token(VK_HEAD_TOKEN, kind="user", user_id=VK_HEAD_USER)
        point_settings_at(settings, server)
        yield server
