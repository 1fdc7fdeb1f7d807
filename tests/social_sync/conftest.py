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


@pytest.fixture
def messengers(settings):
    """The fake Telegram and MAX with the administration's bots and channels."""
    from tests.fakes.messenger_server import FakeMessengerServer
    from tests.social_sync.helpers import (
        MAX_CHAT,
        MAX_TOKEN,
        TG_CHANNEL,
        TG_TOKEN,
        point_messengers_at,
    )

    with FakeMessengerServer(seed=5) as server:
        server.add_telegram_bot(TG_TOKEN, channels=(TG_CHANNEL,))
        server.add_max_bot(MAX_TOKEN, channels=(MAX_CHAT,))
        point_messengers_at(settings, server)
        yield server
        assert server.server_errors == [], server.server_errors[-1]
