"""Telegram and MAX through faults: 30% transient errors and lost answers, and a worker killed
in the middle — every item ends up in each channel exactly once.

MAX rows whose answer was lost are found by reading the channel back. Telegram rows whose
outcome is unknown wait for a person; the test does what the editor does on the «Проверить
канал» screen: looks at the channel and marks the row posted (with the link) or sends it again.
"""

import pytest
from cryptography.fernet import Fernet

from social_sync import crypto
from social_sync.models import OutboxItem, OutboxState
from social_sync.services import delivery
from social_sync.services.outbox import mark_posted, retry
from tests import factories
from tests.fakes.messenger_server import FakeMessengerServer
from tests.social_sync.helpers import (
    MAX_CHAT,
    MAX_TOKEN,
    TG_CHANNEL,
    TG_TOKEN,
    max_channel,
    point_messengers_at,
    publish,
    telegram_channel,
)
from tests.social_sync.test_crash import Worker, dispatch, wait_for, worker_env

ITEMS = 40
# Faster limits than production so the run stays short; the clients follow them, and the fake
# still refuses (and records) any request over them.
PER_MINUTE = 600


def faulty(settings, **options):
    settings.SOCIAL_RATE_TELEGRAM_PER_MINUTE = PER_MINUTE
    settings.SOCIAL_RATE_MARGIN = 0.25
    settings.SOCIAL_RETRY_BASE_SECONDS = 0
    settings.SOCIAL_MAX_ATTEMPTS = 50
    settings.SOCIAL_CLIENT_RETRIES = 2
    server = FakeMessengerServer(tg_chat_per_minute=PER_MINUTE, **options)
    server.add_telegram_bot(TG_TOKEN, channels=(TG_CHANNEL,))
    server.add_max_bot(MAX_TOKEN, channels=(MAX_CHAT,))
    return server


def check_the_channels(fake):
    """What the editor does for each row whose outcome is unknown: look at the channel."""
    resolved = 0
    for row in OutboxItem.objects.filter(state=OutboxState.FAILED).select_related("page"):
        assert row.needs_check, row.last_error
        url = row.page.get_full_url()
        found = [
            m for m in fake.posts(TG_CHANNEL) if url in (m.get("text") or m.get("caption") or "")
        ]
        if found:
            assert mark_posted(row, f"https://t.me/adm_rajona/{found[0]['message_id']}")
        else:
            assert retry(row, checked_absent=True)
        resolved += 1
    return resolved


def assert_each_once(fake, pages):
    for page in pages:
        url = page.get_full_url()
        assert fake.sent(TG_CHANNEL).get(url) == 1, page.title
        assert fake.sent(MAX_CHAT).get(url) == 1, page.title
    assert len(fake.sent(TG_CHANNEL)) == len(fake.sent(MAX_CHAT)) == len(pages)


@pytest.mark.django_db
def test_each_item_once_per_channel_through_thirty_percent_faults(site_tree, settings):
    with faulty(settings, seed=2026, transient_rate=0.3, lost_response_rate=0.3) as fake:
        point_messengers_at(settings, fake)
        telegram_channel(), max_channel()
        image = factories.ImageFactory()
        pages = [
            publish(
                factories.NewsPageFactory(
                    parent=site_tree.news_index,
                    live=False,
                    main_image=image if n % 8 == 0 else None,  # some go as photos
                )
            )
            for n in range(ITEMS)
        ]
        outcomes = delivery.drain(max_seconds=240)
        checked = 0
        for _round in range(10):
            resolved = check_the_channels(fake)
            if not resolved:
                break
            checked += resolved
            delivery.drain(max_seconds=120)

        assert OutboxItem.objects.exclude(state=OutboxState.DONE).count() == 0
        assert_each_once(fake, pages)
        assert outcomes.get("retry", 0) > 0 and fake.lost_answers > 0  # the faults happened
        assert checked > 0  # some Telegram outcomes were unknown and resolved by a person
        assert fake.violations == []
        assert fake.server_errors == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_killed_worker_neither_loses_nor_repeats_a_channel_post(
    site_tree, settings, tmp_path, monkeypatch
):
    key = Fernet.generate_key().decode()
    settings.SOCIAL_TOKENS_KEYS = [key]
    crypto._fernet.cache_clear()
    with faulty(settings, seed=12, latency=(0.05, 0.25)) as fake:
        point_messengers_at(settings, fake)
        telegram_channel(), max_channel()
        monkeypatch.setattr("social_sync.tasks.enqueue_deliveries", lambda ids: None)
        pages = [
            publish(
                factories.NewsPageFactory(parent=site_tree.news_index, live=False, main_image=None)
            )
            for _ in range(20)
        ]
        env = worker_env(settings, fake_social_urls(fake), key, tmp_path)
        env.update(
            TELEGRAM_API_URL=fake.telegram_api_url,
            MAX_API_URL=fake.max_api_url,
            SOCIAL_RATE_TELEGRAM_PER_MINUTE=str(PER_MINUTE),
        )
        worker = Worker(env, tmp_path / "qcluster.log")

        def posted():
            return len(fake.posts(TG_CHANNEL)) + len(fake.posts(MAX_CHAT))

        def settled():
            return not OutboxItem.objects.filter(
                state__in=[OutboxState.PENDING, OutboxState.SENDING]
            ).exists()

        try:
            worker.start()
            dispatch()
            wait_for(lambda: posted() >= 10, 120, "the first posts")
            worker.kill()
            assert OutboxItem.objects.filter(state=OutboxState.SENDING).exists()
            worker.start()
            for _round in range(5):
                dispatch()
                wait_for(settled, 180, "every row to be delivered or to wait for a check")
                if not check_the_channels(fake):
                    break
        except AssertionError:
            print(worker.log_path.read_text(errors="replace")[-5000:])
            raise
        finally:
            worker.stop()

        assert OutboxItem.objects.exclude(state=OutboxState.DONE).count() == 0
        assert_each_once(fake, pages)
        assert fake.violations == [] and fake.server_errors == []


class fake_social_urls:
    """The VK/OK addresses ``worker_env`` expects, pointing nowhere in this test."""

    def __init__(self, fake):
        self.vk_api_url = self.ok_api_url = self.vk_id_token_url = fake.base_url + "/unused"
