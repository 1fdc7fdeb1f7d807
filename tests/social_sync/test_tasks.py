"""Delivery tasks: a burst of publications queues one task per account, and no row is left
without a task to take it."""

from datetime import timedelta

from django.utils import timezone

import pytest

from social_sync import tasks
from social_sync.models import OutboxItem, OutboxState, SocialAccount
from social_sync.services import delivery
from tests import factories
from tests.social_sync.helpers import make_account, publish


@pytest.fixture
def queued(monkeypatch):
    """The tasks handed to django-q2, recorded instead of run."""
    calls = []
    monkeypatch.setattr(
        tasks, "async_task", lambda func, *args, **kwargs: calls.append((func, *args))
    )
    return calls


@pytest.fixture
def accounts(db):
    # No credentials: rows go to the sandbox, no network involved.
    return [make_account(owner_id="2001"), make_account(owner_id="2002")]


def publish_news(site_tree, count, django_capture_on_commit_callbacks):
    pages = []
    for _ in range(count):
        page = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
        with django_capture_on_commit_callbacks(execute=True):
            pages.append(publish(page))
    return pages


def deliveries(calls):
    return sorted(args[0] for func, *args in calls if func == "social_sync.tasks.deliver_account")


@pytest.mark.django_db
def test_a_burst_of_publications_queues_one_task_per_account(
    site_tree, accounts, queued, django_capture_on_commit_callbacks
):
    publish_news(site_tree, 5, django_capture_on_commit_callbacks)
    assert OutboxItem.objects.filter(state=OutboxState.PENDING).count() == 10
    assert deliveries(queued) == sorted(a.pk for a in accounts)


@pytest.mark.django_db
def test_after_a_task_has_drained_the_account_the_next_publication_queues_again(
    site_tree, accounts, queued, django_capture_on_commit_callbacks
):
    publish_news(site_tree, 3, django_capture_on_commit_callbacks)
    for account in accounts:
        tasks.deliver_account(account.pk)
    assert OutboxItem.objects.exclude(state=OutboxState.DONE).count() == 0
    queued.clear()

    publish_news(site_tree, 2, django_capture_on_commit_callbacks)
    assert deliveries(queued) == sorted(a.pk for a in accounts)


@pytest.mark.django_db
def test_a_task_that_finds_the_account_busy_leaves_the_rows_to_the_running_one(
    site_tree, accounts, queued, django_capture_on_commit_callbacks
):
    account = accounts[0]
    publish_news(site_tree, 1, django_capture_on_commit_callbacks)
    SocialAccount.objects.filter(pk=account.pk).update(
        delivery_lock_until=timezone.now() + timedelta(minutes=5), delivery_locked_by="other"
    )
    assert tasks.deliver_account(account.pk) == {"busy": 1}
    queued.clear()
    publish_news(site_tree, 2, django_capture_on_commit_callbacks)
    assert account.pk not in deliveries(queued)  # the running task will take these rows


@pytest.mark.django_db
def test_rows_written_while_the_task_finished_get_a_task(
    site_tree, accounts, queued, django_capture_on_commit_callbacks
):
    account = accounts[0]
    publish_news(site_tree, 1, django_capture_on_commit_callbacks)
    queued.clear()
    real_due_items = delivery.due_items
    looks = []

    def due_items_with_a_late_row(**kwargs):
        found = real_due_items(**kwargs)
        looks.append(found)
        if len(looks) == 3:  # after the drain's last look, before the task lets go
            OutboxItem.objects.filter(account=account).update(
                state=OutboxState.PENDING, next_attempt_at=timezone.now()
            )
            return real_due_items(**kwargs)
        return found

    delivery.due_items = due_items_with_a_late_row
    try:
        tasks.deliver_account(account.pk)
    finally:
        delivery.due_items = real_due_items
    assert deliveries(queued) == [account.pk]


@pytest.mark.django_db
def test_a_mark_left_by_a_lost_task_expires(site_tree, accounts, queued, settings):
    account = accounts[0]
    long_ago = timezone.now() - timedelta(seconds=settings.SOCIAL_DELIVERY_LEASE_SECONDS + 1)
    SocialAccount.objects.filter(pk=account.pk).update(delivery_queued_at=timezone.now())
    tasks.enqueue_accounts([account.pk])
    assert deliveries(queued) == []

    SocialAccount.objects.filter(pk=account.pk).update(delivery_queued_at=long_ago)
    tasks.enqueue_accounts([account.pk])
    assert deliveries(queued) == [account.pk]


@pytest.mark.django_db
def test_the_minute_sweep_queues_accounts_with_due_rows_even_when_marked(
    site_tree, accounts, queued, django_capture_on_commit_callbacks
):
    publish_news(site_tree, 1, django_capture_on_commit_callbacks)
    queued.clear()
    tasks.dispatch_due()
    assert deliveries(queued) == sorted(a.pk for a in accounts)


@pytest.mark.django_db
def test_the_minute_sweep_passes_over_an_account_being_drained(
    site_tree, accounts, queued, django_capture_on_commit_callbacks
):
    draining, idle = accounts
    publish_news(site_tree, 1, django_capture_on_commit_callbacks)
    SocialAccount.objects.filter(pk=draining.pk).update(
        delivery_lock_until=timezone.now() + timedelta(minutes=5), delivery_locked_by="other"
    )
    queued.clear()
    tasks.dispatch_due()
    assert deliveries(queued) == [idle.pk]


@pytest.mark.django_db
def test_a_started_worker_resumes_delivery_at_once(site_tree, accounts, settings):
    """After a restart nothing waits for the minute sweep: the first worker process to spawn
    takes back the dead worker's row and queues what is due; the next ones do not repeat it."""
    import socket

    from django.core.cache import cache

    from django_q.signals import post_spawn

    from social_sync.signal_handlers import RESUME_KEY

    cache.delete(RESUME_KEY)
    pages = [publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))]
    pages.append(publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False)))
    first = OutboxItem.objects.filter(page=pages[0]).first()
    # the row a killed worker was sending when it died (its pid no longer exists)
    OutboxItem.objects.filter(pk=first.pk).update(
        state=OutboxState.SENDING,
        claimed_by=f"{socket.gethostname()}:999999999",
        lease_until=timezone.now() + timedelta(minutes=5),
    )
    post_spawn.send(sender="django_q", proc_name="Process-1")  # django-q2 runs tasks inline here
    assert set(OutboxItem.objects.values_list("state", flat=True)) == {OutboxState.DONE}
    assert cache.get(RESUME_KEY) == "Process-1"
    OutboxItem.objects.update(state=OutboxState.PENDING, next_attempt_at=timezone.now())
    post_spawn.send(sender="django_q", proc_name="Process-2")  # within the window: no second run
    assert set(OutboxItem.objects.values_list("state", flat=True)) == {OutboxState.PENDING}
