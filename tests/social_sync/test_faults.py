"""Exactly once through faults: 200 items × 3 accounts against a fake that fails 30% of calls."""

import pytest

from social_sync.models import OutboxItem, OutboxState
from social_sync.services import delivery
from tests import factories
from tests.fakes.social_server import FakeSocialServer
from tests.once import once
from tests.social_sync.helpers import (
    VK_ADMIN_TOKEN,
    VK_GROUP,
    VK_HEAD_TOKEN,
    VK_HEAD_USER,
    ok_group,
    point_settings_at,
    publish,
    vk_community,
    vk_head_page,
)

ITEMS = 200
# Faster than VK's 3 requests/s so that the run stays short; the client's limit follows it, and
# the fake still rejects (and records) any request over it.
RATE = 20


@pytest.fixture
def faulty_fake(settings):
    settings.SOCIAL_RATE_VK_USER = RATE
    settings.SOCIAL_RATE_OK = RATE
    # A wider safety margin than production's 0.1 s: a loaded test machine delays requests on
    # their way to the in-process fake, and one over the limit parks its row for minutes.
    settings.SOCIAL_RATE_MARGIN = 0.25
    settings.SOCIAL_RETRY_BASE_SECONDS = 0
    settings.SOCIAL_MAX_ATTEMPTS = 50
    settings.SOCIAL_CLIENT_RETRIES = 2
    with FakeSocialServer(
        seed=2026, vk_user_rate=RATE, ok_rate=RATE, transient_rate=0.3, latency=(0.0, 0.01)
    ) as server:
        server.add_vk_token(VK_ADMIN_TOKEN, kind="user", user_id=10, admin_of=(VK_GROUP,))
        server.add_vk_token(VK_HEAD_TOKEN, kind="user", user_id=VK_HEAD_USER)
        point_settings_at(settings, server)
        yield server


def test_every_item_is_posted_once_on_every_account_through_transient_faults(
    site_tree, faulty_fake
):
    accounts = [vk_community(), vk_head_page(), ok_group()]
    image = factories.ImageFactory()
    pages = [
        publish(
            factories.NewsPageFactory(
                parent=site_tree.news_index,
                live=False,
                main_image=image if n % 20 == 0 else None,  # some go through the upload flows
            )
        )
        for n in range(ITEMS)
    ]
    assert OutboxItem.objects.count() == ITEMS * len(accounts)

    outcomes = delivery.drain(max_seconds=300)

    assert outcomes.get("failed", 0) == 0
    assert OutboxItem.objects.exclude(state=OutboxState.DONE).count() == 0
    for page in pages:
        assert faulty_fake.posts_with_link(page.get_full_url()) == {"vk": 2, "ok": 1}, page.title
    assert sum(len(posts) for posts in faulty_fake.vk_posts.values()) == ITEMS * 2
    assert sum(len(topics) for topics in faulty_fake.ok_topics.values()) == ITEMS
    assert outcomes.get("retry", 0) > 0  # the faults did happen and were lived through
    assert faulty_fake.violations == []
    assert faulty_fake.server_errors == []


@once  # one process: nothing here differs between the databases
def test_a_lost_refresh_answer_among_faults_holds_the_account_and_its_rows_go_out_later(
    site_tree, faulty_fake, settings, django_capture_on_commit_callbacks
):
    """Crossposting through 30% faults while the community's VK ID refresh loses its answer:
    the community goes on hold (its rows wait, none fails, one notice), the spent refresh token
    is not sent after the refusal, the other accounts go on; new credentials let the held rows
    out, each item once on every account."""
    from django.core import mail

    from social_sync.admin_forms import store_credentials
    from tests.factories import UserFactory

    UserFactory(username="f-editor", email="editor@example.ru", groups=["Редакторы"])
    fake = faulty_fake
    fake.add_vk_refresh_token(
        "refresh-spent", client_id="51000", device_id="dev-9", user_id=10, admin_of=(VK_GROUP,)
    )
    community = vk_community(
        refresh_token="refresh-spent", vk_client_id="51000", vk_device_id="dev-9"
    )
    others = [vk_head_page(), ok_group()]
    fake.expire_vk_token(community.get_secret("access_token"))
    fake.fail_next("oauth2/auth", "lose_response")  # applied, the answer lost: the token is spent
    items = 20
    pages = [
        publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False, main_image=None))
        for _ in range(items)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        delivery.drain(max_seconds=120)

    community.refresh_from_db()
    assert community.credentials_problem
    held = OutboxItem.objects.filter(account=community)
    assert held.count() == items and not held.exclude(state=OutboxState.PENDING).exists()
    assert (
        not OutboxItem.objects.filter(account__in=others).exclude(state=OutboxState.DONE).exists()
    )
    sends = [c for c in fake.calls if c[1] == "oauth2/auth" and c[2] == "refresh-spent"]
    assert 2 <= len(sends) <= 3, sends  # the lost one, the retry, and one later if that was a 5xx
    assert len([m for m in mail.outbox if "Нет доступа" in m.subject]) == 1
    assert not any("Не удалось отправить" in m.subject for m in mail.outbox)

    # Nothing more is sent with the spent token, however long the queue runs.
    delivery.drain(until_empty=False, max_seconds=5)
    assert [c for c in fake.calls if c[1] == "oauth2/auth" and c[2] == "refresh-spent"] == sends

    fake.add_vk_token("new-login", kind="user", user_id=10, admin_of=(VK_GROUP,))
    store_credentials(community, {"access_token": "new-login"})
    community.save()
    delivery.drain(max_seconds=120)

    assert not OutboxItem.objects.exclude(state=OutboxState.DONE).exists()
    for page in pages:
        assert fake.posts_with_link(page.get_full_url()) == {"vk": 2, "ok": 1}, page.title
    assert fake.violations == []
