"""Exactly once at the edge, as the networks count: the moment of writing is recorded only when a
request leaves, a wait the network asked for is kept on the account across restarts, Telegram
counts an album's photos as messages, MAX paces two messages a second per chat and pages its
history by time, and a refused connection is not taken for a post that may exist."""

import socket
from datetime import timedelta

from django.utils import timezone

import pytest

from social_sync.clients.max import MaxClient
from social_sync.models import OutboxItem, OutboxState, SocialAccount
from social_sync.services import connections, delivery, leases
from social_sync.services.connections import session
from tests.social_sync.helpers import (
    MAX_CHAT,
    MAX_TOKEN,
    TG_CHANNEL,
    VK_GROUP,
    max_channel,
    news,
    publish,
    telegram_channel,
    vk_community,
)

pytestmark = pytest.mark.django_db


def post_row(page, account):
    return OutboxItem.objects.get(page=page, account=account)


def sends(fake, method):
    return [call for call in fake.calls if call[:2] == ("telegram", method)]


def telegram_key(account):
    return connections.telegram_client(account).rate_key


def fill_window(settings, account, taken):
    """``taken`` of the account's per-minute Telegram slots are used, as by messages just sent."""
    limiter = connections._limiter(settings.SOCIAL_RATE_TELEGRAM_PER_MINUTE, 60.0)
    for _ in range(taken):
        limiter.acquire(telegram_key(account))


# --- the moment of writing --------------------------------------------------------------------


def test_a_worker_waiting_for_its_rate_window_has_marked_nothing_and_hands_the_row_back(
    site_tree, messengers, settings
):
    """A full window is not slept through with the row marked «may have posted»: the account
    pauses until the window opens, the row waits unmarked, and nothing reaches Telegram."""
    account = telegram_channel()
    fill_window(settings, account, settings.SOCIAL_RATE_TELEGRAM_PER_MINUTE)
    row = post_row(publish(news(site_tree.news_index)), account)

    assert delivery.deliver(row.pk) == "paused"

    row.refresh_from_db()
    account.refresh_from_db()
    assert row.state == OutboxState.PENDING and row.write_started_at is None
    assert row.attempts == 0  # waiting for the window is not a failed attempt
    assert sends(messengers, "sendMessage") == []
    assert account.sending_paused_until > timezone.now() + timedelta(seconds=50)
    assert row.next_attempt_at == account.sending_paused_until


def test_a_retry_after_is_kept_on_the_account_and_honoured_by_a_restarted_worker(
    site_tree, messengers
):
    account = telegram_channel()
    first, second = (post_row(publish(news(site_tree.news_index)), account) for _ in range(2))
    messengers.fail_next("sendMessage", ("refuse", 429, "Too Many Requests: retry after 3", 3))

    assert delivery.deliver(first.pk) == "paused"
    first.refresh_from_db()
    account.refresh_from_db()
    # The 429 proves nothing was sent: no «may have posted» mark, no attempt counted.
    assert first.write_started_at is None and first.attempts == 0
    wait = (account.sending_paused_until - timezone.now()).total_seconds()
    assert 2 < wait <= 3

    # A worker started after a restart knows only the database: it sends nothing before then.
    assert delivery.due_items() == []
    assert leases.claim(second.pk) is None
    assert delivery.drain(until_empty=True, max_seconds=20) == {"done": 2}
    assert messengers.violations == []  # Telegram keeps the chat closed: an early send shows
    assert len(sends(messengers, "sendMessage")) == 3


def test_a_refused_connection_leaves_no_mark_and_the_post_goes_out_once_later(
    site_tree, messengers, settings
):
    """Nothing left this host: not «may have posted» (which would park a Telegram row for a
    person), an ordinary retry."""
    account = telegram_channel()
    row = post_row(publish(news(site_tree.news_index)), account)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.TELEGRAM_API_URL = f"http://127.0.0.1:{closed_port}/tg"

    assert delivery.deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.state == OutboxState.PENDING and row.write_started_at is None

    settings.TELEGRAM_API_URL = messengers.telegram_api_url
    OutboxItem.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver(row.pk) == "done"
    assert messengers.sent(TG_CHANNEL) == {row.page.get_full_url(): 1}


def test_a_connection_dropped_after_the_send_is_read_back_not_repeated(site_tree, messengers):
    account = max_channel()
    page = publish(news(site_tree.news_index))
    row = post_row(page, account)
    messengers.fail_next("max:POST /messages", "drop")

    assert delivery.deliver(row.pk) == "done"  # it may have arrived, so MAX is read: it did
    assert messengers.sent(MAX_CHAT) == {page.get_full_url(): 1}
    assert OutboxItem.objects.get(pk=row.pk).write_started_at is not None


def test_a_lost_answer_is_read_back_in_the_same_attempt_not_after_a_back_off(site_tree, messengers):
    """MAX can be read back: after a lost answer the delivery looks at once and, finding the
    post, finishes the row in the same attempt; found nothing, it sends once more."""
    account = max_channel()
    found_page, resent_page = (publish(news(site_tree.news_index)) for _ in range(2))
    messengers.fail_next("max:POST /messages", "lose_response")  # applied, the answer lost
    assert delivery.deliver(post_row(found_page, account).pk) == "done"
    messengers.fail_next("max:POST /messages", "http502")  # not applied, no answer either
    assert delivery.deliver(post_row(resent_page, account).pk) == "done"

    assert messengers.sent(MAX_CHAT) == {
        found_page.get_full_url(): 1,
        resent_page.get_full_url(): 1,
    }
    assert [row.attempts for row in OutboxItem.objects.order_by("pk")] == [1, 1]


def test_telegram_keeps_a_lost_answer_for_a_person_without_reading_or_resending(
    site_tree, messengers
):
    account = telegram_channel()
    row = post_row(publish(news(site_tree.news_index)), account)
    messengers.fail_next("sendMessage", "drop")

    assert delivery.deliver(row.pk) == "retry"
    assert len(sends(messengers, "sendMessage")) == 1


# --- limits as the networks count them ----------------------------------------------------------


def test_an_album_counts_as_one_message_per_photo(site_tree, messengers, settings):
    """Two text posts and an album of three photos are five messages: over a limit of four the
    album waits for the window instead of drawing a 429."""
    settings.SOCIAL_RATE_TELEGRAM_PER_MINUTE = 4
    messengers.tg_chat_per_minute = 4
    account = telegram_channel()
    texts = [post_row(publish(news(site_tree.news_index)), account) for _ in range(2)]
    album = post_row(publish(news(site_tree.news_index, images=3)), account)

    assert [delivery.deliver(row.pk) for row in texts] == ["done", "done"]
    assert delivery.deliver(album.pk) == "paused"
    assert messengers.violations == []
    assert sends(messengers, "sendMediaGroup") == []


def test_max_sends_at_most_two_messages_a_second_into_a_channel(site_tree, messengers):
    account = max_channel()
    rows = [post_row(publish(news(site_tree.news_index)), account) for _ in range(5)]

    assert delivery.drain(until_empty=True, max_seconds=30) == {"done": 5}
    assert messengers.violations == []
    assert len(messengers.posts(MAX_CHAT)) == len(rows)


def test_max_is_given_time_to_process_an_upload_before_the_post_is_sent_again(
    site_tree, messengers
):
    """«attachment.not.ready» is answered with a pause of at least 1.2 s, growing; the fake
    counts a repeat sooner than a second as a violation."""
    messengers.not_ready_seconds = 2.5
    account = max_channel()
    row = post_row(publish(news(site_tree.news_index, images=1)), account)

    assert delivery.deliver(row.pk) == "done"
    assert messengers.violations == []
    [message] = messengers.posts(MAX_CHAT)
    assert message["body"]["attachments"]


def test_max_history_is_paged_by_time_from_the_newest(messengers):
    """GET /messages takes ``from`` (the later bound) and ``to`` (the earlier); 250 messages
    over a day are read in three pages, each once."""
    start_ms = int((timezone.now() - timedelta(days=1)).timestamp() * 1000)
    for index in range(250):
        messengers.seed_max_message(MAX_CHAT, f"Запись {index}", timestamp_ms=start_ms + index)
    client = MaxClient(base_url=messengers.max_api_url, access_token=MAX_TOKEN, session=session())

    found = client.recent(chat_id=MAX_CHAT, since=(start_ms + 20) / 1000)

    texts = [message["body"]["text"] for message in found]
    assert texts == [f"Запись {index}" for index in range(249, 19, -1)]
    pages = [call for call in messengers.calls if call[1:] == ("GET", "/messages")]
    assert len(pages) == 3


def test_the_fake_refuses_paging_the_contract_does_not_have(messengers):
    client = MaxClient(
        base_url=messengers.max_api_url, access_token=MAX_TOKEN, session=session(), retries=0
    )
    with pytest.raises(Exception) as refused:
        client.call("GET", "/messages", params={"chat_id": MAX_CHAT, "before": 1})
    assert getattr(refused.value, "code", "") == "proto.payload"


# --- VK ID ----------------------------------------------------------------------------------------


def test_a_failing_vk_id_is_asked_again_after_a_back_off_not_by_every_row(site_tree, fake):
    """vk.md: a refresh that times out or gets a 5xx is sent once more; when that fails too,
    back off. The account pauses; the other rows do not each ask VK ID again."""
    fake.add_vk_refresh_token(
        "refresh-ok", client_id="51000", device_id="dev-1", user_id=10, admin_of=(VK_GROUP,)
    )
    account = vk_community(refresh_token="refresh-ok", vk_client_id="51000", vk_device_id="dev-1")
    fake.expire_vk_token(account.get_secret("access_token"))
    fake.fail_next("oauth2/auth", "http500", times=2)
    rows = [post_row(publish(news(site_tree.news_index)), account) for _ in range(3)]

    outcomes = [delivery.deliver(row.pk) for row in rows]

    assert outcomes == ["paused", "skipped", "skipped"]
    assert len([call for call in fake.calls if call[1] == "oauth2/auth"]) == 2
    account = SocialAccount.objects.get(pk=account.pk)
    assert account.sending_paused_until > timezone.now() + timedelta(seconds=50)
    assert account.credentials_problem == ""  # not a person's problem: it passes by itself
    assert OutboxItem.objects.get(pk=rows[0].pk).last_error.startswith(
        "Сервис VK ID временно недоступен"
    )


# --- waking up instead of waiting ---------------------------------------------------------------


def test_an_account_task_that_ends_on_a_pause_schedules_its_own_wake_up(site_tree, messengers):
    from django_q.models import Schedule

    from social_sync import tasks

    account = telegram_channel()
    row = post_row(publish(news(site_tree.news_index)), account)
    messengers.fail_next("sendMessage", ("refuse", 429, "Too Many Requests: retry after 40", 40))

    assert tasks.deliver_account(account.pk) == {"paused": 1}

    account.refresh_from_db()
    [wake] = Schedule.objects.filter(name=tasks.wake_name(account.pk))
    assert wake.func == "social_sync.tasks.wake_account" and wake.args == str(account.pk)
    assert wake.next_run == account.sending_paused_until
    assert wake.schedule_type == Schedule.ONCE and wake.repeats == -1
    # A later, sooner wish moves it earlier; a later one leaves it.
    tasks.schedule_wake(account.pk, wake.next_run + timedelta(seconds=30))
    tasks.schedule_wake(account.pk, wake.next_run - timedelta(seconds=10))
    assert Schedule.objects.get(pk=wake.pk).next_run == wake.next_run - timedelta(seconds=10)
    assert OutboxItem.objects.get(pk=row.pk).state == OutboxState.PENDING
