"""Which rows publication, edits and unpublication write, and in which transaction."""

from django.db import transaction

import pytest

from social_sync.models import AccountKind, Network, OutboxAction, OutboxItem, OutboxState
from social_sync.services import outbox
from tests import factories
from tests.social_sync.helpers import make_account, publish


@pytest.fixture
def accounts(db):
    return {
        "vk": make_account(network=Network.VK, owner_id="100"),
        "ok": make_account(network=Network.OK, owner_id="200"),
        "events_only": make_account(
            network=Network.VK, owner_id="300", post_news=False, post_events=True
        ),
    }


def rows(page, **filters):
    return set(
        OutboxItem.objects.filter(page=page, **filters).values_list("account__owner_id", "action")
    )


def test_publishing_news_writes_one_post_row_per_target_account(site_tree, accounts):
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(news)
    assert rows(news) == {("100", "post"), ("200", "post")}
    assert set(OutboxItem.objects.values_list("state", flat=True)) == {OutboxState.PENDING}


def test_events_go_only_to_accounts_that_take_events(site_tree, accounts):
    event = factories.EventPageFactory(parent=site_tree.event_index, live=False)
    publish(event)
    assert rows(event) == {("300", "post")}


def test_other_page_types_are_not_crossposted(site_tree, accounts):
    publish(site_tree.news_index)
    assert not OutboxItem.objects.exists()


def test_an_unticked_account_is_skipped(site_tree, accounts):
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    news.social_skip.set([accounts["ok"]])
    publish(news)
    assert rows(news) == {("100", "post")}


def test_an_account_limited_to_a_section_takes_only_that_section(site_tree, accounts):
    head_account = make_account(
        network=Network.VK, kind=AccountKind.PERSON, owner_id="777", sections=[site_tree.head]
    )
    in_section = factories.NewsPageFactory(parent=site_tree.head, live=False)
    elsewhere = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(in_section)
    publish(elsewhere)
    assert ("777", "post") in rows(in_section)
    assert ("777", "post") not in rows(elsewhere)
    assert head_account.outbox.count() == 1


def test_inactive_and_manual_accounts_get_nothing(site_tree, accounts):
    make_account(owner_id="400", is_active=False)
    make_account(owner_id="500", auto_crosspost=False)
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(news)
    assert {owner for owner, _ in rows(news)} == {"100", "200"}


def test_republishing_a_posted_item_adds_an_edit_not_a_second_post(site_tree, accounts):
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(news)
    OutboxItem.objects.filter(page=news).update(state=OutboxState.DONE, remote_id="1")
    news.title = "Исправленный заголовок"
    publish(news)
    publish(news)  # a second edit before the first went out: one edit row does the latest
    assert OutboxItem.objects.filter(page=news, action=OutboxAction.POST).count() == 2
    assert OutboxItem.objects.filter(page=news, action=OutboxAction.EDIT).count() == 2


def test_republishing_while_queued_writes_nothing_new(site_tree, accounts):
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(news)
    publish(news)
    assert OutboxItem.objects.filter(page=news).count() == 2


def test_unpublishing_deletes_posted_items_and_cancels_queued_ones(site_tree, accounts):
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(news)
    OutboxItem.objects.filter(page=news, account=accounts["vk"]).update(
        state=OutboxState.DONE, remote_id="1"
    )
    news.unpublish()
    assert rows(news, action=OutboxAction.DELETE) == {("100", "delete")}
    ok_post = OutboxItem.objects.get(page=news, account=accounts["ok"])
    assert ok_post.state == OutboxState.CANCELLED


def test_an_account_may_keep_posts_of_unpublished_items(site_tree, accounts):
    accounts["vk"].delete_on_unpublish = False
    accounts["vk"].save()
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(news)
    OutboxItem.objects.filter(page=news).update(state=OutboxState.DONE, remote_id="1")
    news.unpublish()
    assert rows(news, action=OutboxAction.DELETE) == {("200", "delete")}


def test_publishing_again_after_a_delete_makes_a_new_post_with_a_new_guid(site_tree, accounts):
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    news.social_skip.set([accounts["ok"]])
    publish(news)
    post = OutboxItem.objects.get(page=news)
    OutboxItem.objects.filter(pk=post.pk).update(state=OutboxState.DONE, remote_id="1")
    news.unpublish()
    OutboxItem.objects.filter(action=OutboxAction.DELETE).update(state=OutboxState.DONE)
    first_guid = post.guid
    publish(news)
    post.refresh_from_db()
    assert post.state == OutboxState.PENDING and post.remote_id == ""
    assert post.guid != first_guid


def test_rows_are_written_in_the_publishing_transaction(site_tree, accounts):
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        publish(news)
        assert OutboxItem.objects.filter(page=news).count() == 2
        raise Abort
    assert not OutboxItem.objects.filter(page=news).exists()


def test_a_publication_that_left_no_rows_is_caught_by_the_schedule(site_tree, accounts):
    from social_sync.services.maintenance import record_missed_publications

    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(news)
    OutboxItem.objects.all().delete()  # as if the process died between the two writes
    assert record_missed_publications() == 1
    assert rows(news) == {("100", "post"), ("200", "post")}
    assert record_missed_publications() == 0


def test_retry_puts_only_failed_rows_back(site_tree, accounts):
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    publish(news)
    item = OutboxItem.objects.filter(page=news).first()
    assert outbox.retry(item) is False
    OutboxItem.objects.filter(pk=item.pk).update(
        state=OutboxState.FAILED, attempts=12, last_error="x"
    )
    assert outbox.retry(item) is True
    item.refresh_from_db()
    assert (item.state, item.attempts, item.last_error) == (OutboxState.PENDING, 0, "")


def test_a_scheduled_item_is_crossposted_when_it_goes_live(site_tree, accounts, monkeypatch):
    import datetime

    from django.utils import timezone

    from newsroom import tasks as newsroom_tasks

    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    news.go_live_at = timezone.now() + datetime.timedelta(minutes=30)
    news.save_revision().publish()  # only schedules it
    assert not OutboxItem.objects.exists()

    later = timezone.now() + datetime.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    newsroom_tasks.publish_scheduled_pages()
    assert rows(news) == {("100", "post"), ("200", "post")}


def test_the_dispatch_schedule_exists_after_migrate(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="social_sync.tasks.dispatch_due")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)


@pytest.mark.django_db
def test_a_row_is_claimed_by_an_update_on_its_own_columns():
    """Two workers racing for one row: only a plain ``UPDATE … WHERE id = … AND state …`` is
    re-checked by PostgreSQL against the row the other worker has just claimed. A filter through
    the account would become ``WHERE id IN (SELECT …)``, and both would post (seen in
    bench/walls.py: one item posted twice, 3 ms apart)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from social_sync.services.leases import claim
    from tests.social_sync.factories import OutboxItemFactory

    row = OutboxItemFactory()
    with CaptureQueriesContext(connection) as queries:
        assert claim(row.pk) is not None
    [update] = [q["sql"] for q in queries if q["sql"].upper().startswith("UPDATE")]
    assert "SELECT" not in update.upper()
    assert claim(row.pk) is None  # taken: the second worker gets nothing
    row.account.is_active = False
    row.account.save()
    other = OutboxItemFactory(account=row.account)
    assert claim(other.pk) is None  # a switched-off account's rows wait
