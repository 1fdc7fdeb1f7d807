"""«Календарь публикаций»: the weekly counts per account (posts read back from the walls, made by
hand included), what is scheduled and planned, the warning once per account and week."""

import datetime
import zoneinfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from newsroom import roles
from social_sync import content_calendar, reports
from social_sync.models import NormWarning, OutboxAction, OutboxItem, WatchedPost
from social_sync.services import comments, delivery
from tests import factories
from tests.social_sync.factories import OutboxItemFactory, SocialAccountFactory, WatchedPostFactory
from tests.social_sync.helpers import VK_GROUP, publish, vk_community

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def moscow(settings):
    settings.TIME_ZONE = "Europe/Moscow"


def this_monday():
    today = timezone.localtime(timezone.now(), MOSCOW).date()
    return today - datetime.timedelta(days=today.weekday())


def at(day, hour=12):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=MOSCOW)


@pytest.mark.django_db
def test_the_week_counts_every_post_once_and_what_is_scheduled_and_planned(site_tree):
    monday = this_monday()
    account = SocialAccountFactory(name="ВК района", weekly_norm=5)
    other = SocialAccountFactory(name="ОК района", ok=True, weekly_norm=2)
    # Two posts made by hand on the wall this week, one last week.
    WatchedPostFactory(account=account, published_at=at(monday, 9))
    WatchedPostFactory(account=account, published_at=at(monday + datetime.timedelta(days=2), 15))
    WatchedPostFactory(account=account, published_at=at(monday - datetime.timedelta(days=3)))
    # The system's post, already read back from the wall: counted once.
    sent = OutboxItemFactory(account=account, done=True, done_at=at(monday, 10))
    WatchedPostFactory(account=account, remote_id=sent.remote_id, published_at=at(monday, 10))
    # The system's post not read back yet (or in the sandbox).
    OutboxItemFactory(account=account, done=True, done_at=at(monday + datetime.timedelta(days=1)))
    # Waiting for its slot later this week, and one for next week (not this week's).
    OutboxItemFactory(account=account, next_attempt_at=at(monday + datetime.timedelta(days=4), 18))
    OutboxItemFactory(account=account, next_attempt_at=at(monday + datetime.timedelta(days=8), 18))
    # Approved to go live on Saturday: planned on the accounts it will go to.
    news = factories.NewsPageFactory(parent=site_tree.news_index, live=False)
    saturday = at(monday + datetime.timedelta(days=5), 10)
    news.go_live_at = saturday
    news.save_revision(approved_go_live_at=saturday)

    weeks = {week.account.pk: week for week in content_calendar.week_of(monday)}
    week = weeks[account.pk]
    assert (week.posted, week.scheduled, week.planned) == (4, 1, 1)
    assert week.expected == 6 and week.short_by == 0
    assert sum(1 for entry in week.days[0] if entry.by_hand) == 1
    assert [entry.kind for entry in week.days[5]] == ["planned"]
    assert weeks[other.pk].expected == 1 and weeks[other.pk].short_by == 1
    assert weeks[other.pk].shortfall == "не хватает 1 поста до нормы"

    # The norms report counts the same posts: by hand too, the read-back one once.
    [norms] = reports.posting_norms([account])
    assert norms.weeks[-1].posts == 4


@pytest.mark.django_db
def test_posts_made_by_hand_are_read_back_from_the_wall(fake, site_tree):
    account = vk_community(take_comments=False)  # the wall is read for the norms all the same
    for n in range(3):
        fake.seed_vk_post(-VK_GROUP, f"Пост, сделанный вручную, № {n}")
    page = publish(factories.NewsPageFactory(parent=site_tree.news_index, live=False))
    row = OutboxItem.objects.get(page=page, account=account, action=OutboxAction.POST)
    assert delivery.deliver(row.pk) == "done"

    comments.pull_account(account)

    assert WatchedPost.objects.filter(account=account).count() == 4
    [week] = content_calendar.week_of(this_monday(), accounts=[account])
    assert week.posted == 4  # three by hand and ours, ours once
    assert sum(1 for day in week.days for entry in day if entry.by_hand) == 3


@pytest.mark.django_db
def test_the_warning_goes_once_per_account_and_week_and_not_too_early(settings):
    settings.SOCIAL_NORM_WARNING_WEEKDAY, settings.SOCIAL_NORM_WARNING_HOUR = 4, 12
    factories.UserFactory(username="smm", email="smm@example.ru", groups=[roles.EDITORS])
    monday = this_monday()
    short = SocialAccountFactory(name="Группа ВК", weekly_norm=5)
    fine = SocialAccountFactory(name="Страница Главы", weekly_norm=2)
    for hour in (9, 10):
        OutboxItemFactory(account=fine, done=True, done_at=at(monday, hour))
    OutboxItemFactory(account=short, done=True, done_at=at(monday, 11))

    wednesday = at(monday + datetime.timedelta(days=2), 18)
    assert content_calendar.warn_short_weeks(wednesday) == []
    thursday = at(monday + datetime.timedelta(days=3), 12)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda send: send())
        warned = content_calendar.warn_short_weeks(thursday)
        assert [week.account for week in warned] == [short]
        assert content_calendar.warn_short_weeks(thursday + datetime.timedelta(hours=5)) == []
    assert NormWarning.objects.get().week_start == monday
    [letter] = mail.outbox
    assert "Группа ВК" in letter.body and "не хватает 4 постов до нормы" in letter.body
    assert "Страница Главы" not in letter.body
    # Next week is a new week.
    next_thursday = thursday + datetime.timedelta(days=7)
    assert [w.account for w in content_calendar.warn_short_weeks(next_thursday)] == [short, fine]


@pytest.mark.django_db
def test_the_calendar_screen(client):
    editor = factories.UserFactory(username="cal-editor", groups=[roles.EDITORS])
    account = SocialAccountFactory(name="ВК района", weekly_norm=5)
    WatchedPostFactory(account=account, text="Поздравление с Днём матери")
    OutboxItemFactory(account=account, page_title="Каток открыт", done=True)
    client.force_login(editor)
    html = client.get(reverse("social_sync:calendar")).content.decode()
    assert "Календарь публикаций" in html
    assert "Поздравление с Днём матери" in html and "опубликован вручную" in html
    assert "Каток открыт" in html
    assert "2 поста из 5" in html and "не хватает 3 постов до нормы" in html
    last_week = this_monday() - datetime.timedelta(days=7)
    html = client.get(reverse("social_sync:calendar") + f"?week={last_week}").content.decode()
    assert "Каток открыт" not in html and "0 постов из 5" in html
    assert client.get(reverse("social_sync:calendar") + "?week=garbage").status_code == 200
    # At the ends of the calendar the links to the weeks around must stay dates: this week instead.
    for edge in ("0001-01-01", "0001-01-07", "9999-12-31", "1900-01-01", "2100-12-31"):
        shown = client.get(reverse("social_sync:calendar") + f"?week={edge}")
        assert shown.status_code == 200 and "2 поста из 5" in shown.content.decode(), edge

    outsider = factories.UserFactory(username="cal-outsider", groups=[roles.EXECUTORS])
    client.force_login(outsider)
    assert client.get(reverse("social_sync:calendar")).status_code == 403


@pytest.mark.django_db
def test_the_week_takes_the_same_queries_for_any_number_of_accounts(django_assert_num_queries):
    def make(n):
        for _n in range(n):
            account = SocialAccountFactory(weekly_norm=2)
            WatchedPostFactory(account=account)
            OutboxItemFactory(account=account, done=True)
            OutboxItemFactory(
                account=account, next_attempt_at=timezone.now() + datetime.timedelta(hours=1)
            )

    make(1)
    # Accounts, posts read back, posts not read back, waiting posts, planned publications.
    with django_assert_num_queries(5):
        assert len(content_calendar.week_of(this_monday())) == 1
    make(4)
    with django_assert_num_queries(5):
        assert len(content_calendar.week_of(this_monday())) == 5
