"""«Календарь публикаций»: per account and week, what is posted, scheduled and planned, against
the account's weekly norm (seed 002 p.6, seed 003 app. 2 p.4).

- posted: every post on the account — read back from its wall or feed (``WatchedPost``), made by
  hand included — and the system's own posts not read back yet (the sandbox's, or the last few
  minutes');
- scheduled: the system's posts waiting in the outbox for their time (a network's own slot);
- planned: materials approved for publication at a later time (Wagtail's scheduled publishing),
  on each account they will go to.

A week falls short when posted + scheduled + planned stays below the norm; from
``SOCIAL_NORM_WARNING_WEEKDAY`` on, the editors are told once per account and week.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.models import Revision

from social_sync.crossposting import crossposted_models
from social_sync.models import (
    NormWarning,
    OutboxAction,
    OutboxItem,
    OutboxState,
    SocialAccount,
    WatchedPost,
)

POSTED, SCHEDULED, PLANNED = "posted", "scheduled", "planned"
KIND_LABELS = {
    POSTED: gettext_lazy("опубликован"),
    SCHEDULED: gettext_lazy("запланирован"),
    PLANNED: gettext_lazy("в плане"),
}


@dataclass
class Entry:
    kind: str
    at: datetime.datetime
    title: str
    url: str = ""
    by_hand: bool = False

    @property
    def kind_label(self):
        if self.by_hand:
            return _("опубликован вручную")
        return str(KIND_LABELS[self.kind])


@dataclass
class AccountWeek:
    account: SocialAccount
    monday: datetime.date
    days: list = field(default_factory=lambda: [[] for _day in range(7)])

    def add(self, entry, zone):
        day = timezone.localtime(entry.at, zone).date()
        index = (day - self.monday).days
        if 0 <= index < 7:
            self.days[index].append(entry)

    def count(self, kind):
        return sum(1 for day in self.days for entry in day if entry.kind == kind)

    @property
    def posted(self):
        return self.count(POSTED)

    @property
    def scheduled(self):
        return self.count(SCHEDULED)

    @property
    def planned(self):
        return self.count(PLANNED)

    @property
    def expected(self):
        return self.posted + self.scheduled + self.planned

    @property
    def norm(self):
        return self.account.weekly_norm

    @property
    def short_by(self):
        return max(0, self.norm - self.expected)

    @property
    def summary(self):
        return ngettext(
            "%(expected)s пост из %(norm)s",
            "%(expected)s постов из %(norm)s",
            self.expected,
        ) % {"expected": self.expected, "norm": self.norm}

    @property
    def shortfall(self):
        if not self.short_by:
            return ""
        return ngettext(
            "не хватает %(n)s поста до нормы",
            "не хватает %(n)s постов до нормы",
            self.short_by,
        ) % {"n": self.short_by}


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def week_bounds(monday, zone):
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=zone)
    return start, start + datetime.timedelta(days=7)


def _posted(weeks, start, end):
    ids = list(weeks)
    sent_by_us = OutboxItem.objects.filter(
        account_id=OuterRef("account_id"),
        remote_id=OuterRef("remote_id"),
        action=OutboxAction.POST,
        state=OutboxState.DONE,
    )
    seen = (
        WatchedPost.objects.filter(
            account_id__in=ids, published_at__gte=start, published_at__lt=end
        )
        .annotate(ours=Exists(sent_by_us))
        .select_related("page")
    )
    for post in seen:
        title = post.page.title if post.page_id else (post.text[:80] or post.remote_id)
        yield (
            post.account_id,
            Entry(
                POSTED, post.published_at, title, post.url, by_hand=not (post.ours or post.page_id)
            ),
        )
    sent = (
        OutboxItem.objects.filter(
            account_id__in=ids,
            action=OutboxAction.POST,
            state=OutboxState.DONE,
            done_at__gte=start,
            done_at__lt=end,
        )
        .exclude(
            Exists(
                WatchedPost.objects.filter(
                    account_id=OuterRef("account_id"), remote_id=OuterRef("remote_id")
                )
            )
        )
        .only("account_id", "done_at", "page_title", "remote_url")
    )
    for item in sent:
        yield item.account_id, Entry(POSTED, item.done_at, item.page_title, item.remote_url)


def _scheduled(weeks, start, end):
    waiting = OutboxItem.objects.filter(
        account_id__in=list(weeks),
        action=OutboxAction.POST,
        state__in=[OutboxState.PENDING, OutboxState.SENDING],
        next_attempt_at__gte=start,
        next_attempt_at__lt=end,
    ).only("account_id", "next_attempt_at", "page_title", "page_id")
    for item in waiting:
        url = reverse("wagtailadmin_pages:edit", args=[item.page_id]) if item.page_id else ""
        yield item.account_id, Entry(SCHEDULED, item.next_attempt_at, item.page_title, url)


def _planned(weeks, start, end):
    """Materials approved to go live later, on each account they will go to (at the later of
    the publication and the network's own time)."""
    from social_sync.services.outbox import target_accounts

    models = crossposted_models()
    revisions = (
        Revision.page_revisions.filter(
            approved_go_live_at__gte=start - datetime.timedelta(days=7),
            approved_go_live_at__lt=end,
        )
        .select_related("content_type")
        .order_by("approved_go_live_at")
    )
    for revision in revisions:
        if revision.content_type.model_class() not in models:
            continue
        page = revision.as_object()
        go_live = revision.approved_go_live_at
        for account in target_accounts(page):
            if account.pk not in weeks:
                continue
            slot = page.social_slot(account.network)
            at = max(go_live, slot) if slot else go_live
            if start <= at < end:
                url = reverse("wagtailadmin_pages:edit", args=[page.pk])
                yield account.pk, Entry(PLANNED, at, page.title, url)


def week_of(monday, accounts=None, zone=None):
    """One ``AccountWeek`` per active account (or of ``accounts``), for the week of ``monday``."""
    zone = zone or timezone.get_default_timezone()
    if accounts is None:
        accounts = SocialAccount.objects.filter(is_active=True).order_by("network", "name")
    weeks = {account.pk: AccountWeek(account, monday) for account in accounts}
    if not weeks:
        return []
    start, end = week_bounds(monday, zone)
    for source in (_posted, _scheduled, _planned):
        for account_id, entry in source(weeks, start, end):
            weeks[account_id].add(entry, zone)
    for week in weeks.values():
        for day in week.days:
            day.sort(key=lambda entry: entry.at)
    return list(weeks.values())


# --- the warning before the week closes ---------------------------------------------------------


def warn_short_weeks(now=None):
    """Tells the editors, once per account and week, which accounts will fall short of their
    norm this week. Runs every hour; says nothing before the configured weekday and hour."""
    from social_sync.services.notify import norm_shortfall

    zone = timezone.get_default_timezone()
    now = timezone.localtime(now or timezone.now(), zone)
    if (now.isoweekday(), now.hour) < (
        settings.SOCIAL_NORM_WARNING_WEEKDAY,
        settings.SOCIAL_NORM_WARNING_HOUR,
    ):
        return []
    monday = monday_of(now.date())
    short = [week for week in week_of(monday, zone=zone) if week.short_by]
    warned = []
    for week in short:
        try:
            with transaction.atomic():
                NormWarning.objects.create(
                    account=week.account, week_start=monday, expected=week.expected
                )
        except IntegrityError:
            continue  # told already this week
        warned.append(week)
    if warned:
        norm_shortfall(monday, warned)
    return warned
