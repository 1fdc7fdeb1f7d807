"""Background work of social_sync, run by the django-q2 worker."""

import logging

from django_q.tasks import async_task

logger = logging.getLogger(__name__)

SCHEDULES = [
    {
        "func": "social_sync.tasks.dispatch_due",
        "name": "Отправка в соцсети: очередь и повторы",
        "minutes": 1,
    },
    {
        "func": "social_sync.tasks.warn_short_weeks",
        "name": "Календарь публикаций: предупреждение о нехватке постов",
        "minutes": 60,
    },
    {
        "func": "social_sync.tasks.pull_comments",
        "name": "Комментарии под постами: сбор",
        "minutes": 5,  # settings.COMMENTS_PULL_MINUTES, read in ensure_schedules
    },
]


def enqueue_deliveries(item_ids, force=False):
    """Queues the delivery of these outbox rows: one task per account they belong to.

    ``force`` (the minute sweep) passes over accounts a worker is draining right now: it takes
    their rows, and queues itself again if its time runs out.
    """
    from django.utils import timezone

    from social_sync.models import OutboxItem

    rows = OutboxItem.objects.filter(pk__in=item_ids)
    if force:
        rows = rows.exclude(account__delivery_lock_until__gt=timezone.now())
    accounts = set(rows.values_list("account_id", flat=True))
    enqueue_accounts(sorted(accounts), force=force)


def enqueue_accounts(account_ids, force=False):
    """Queues a delivery task per account, unless one is already queued or running for it.

    A burst of publications thus queues one task per account, not one per publication, and the
    worker stays free for the scheduled jobs. ``force`` (the minute sweep) queues regardless, so a
    task lost with a dead worker delays rows a minute at most.
    """
    from social_sync.services.delivery import mark_delivery_queued

    for account_id in account_ids:
        if force or mark_delivery_queued(account_id):
            async_task("social_sync.tasks.deliver_account", account_id, group="social_sync")


def deliver_account(account_id):
    """Delivers the account's due rows, one after another; queues itself again if the time
    given to one task ran out with rows still due, and otherwise asks to be woken when its
    next row is due (a back-off, or a pause the network asked for): no worker waits for it."""
    from social_sync.services.delivery import drain_account, next_wake

    outcomes, more = drain_account(account_id)
    if more:
        enqueue_accounts([account_id])
    elif "busy" not in outcomes:
        wake = next_wake(account_id)
        if wake is not None:
            schedule_wake(account_id, wake)
    return outcomes


def wake_name(account_id):
    return f"Отправка в соцсети: аккаунт {account_id}, следующая попытка"


def schedule_wake(account_id, when):
    """One wake-up per account, at the earliest moment asked for (django-q2's scheduler looks
    every 30 seconds; the minute sweep stays as the safety net)."""
    from django_q.models import Schedule

    name = wake_name(account_id)
    existing = Schedule.objects.filter(name=name).order_by("next_run").first()
    if existing is not None:
        if existing.next_run <= when:
            return existing
        existing.next_run = when
        existing.save(update_fields=["next_run"])
        return existing
    return Schedule.objects.create(
        name=name,
        func="social_sync.tasks.wake_account",
        args=str(int(account_id)),
        schedule_type=Schedule.ONCE,
        repeats=-1,  # deleted once it has run
        next_run=when,
    )


def wake_account(account_id):
    """The moment an account's next row is due: queue its delivery."""
    enqueue_accounts([account_id])


def deliver_item(item_id):
    """Delivers one row (kept for tasks queued by earlier versions)."""
    from social_sync.services.delivery import deliver

    return deliver(item_id)


def dispatch_due():
    """Every minute: take back rows of dead workers, queue due rows and retries, refresh VK
    tokens that are about to expire, and catch publications that left no outbox rows."""
    from social_sync.services.delivery import due_items, recover_abandoned
    from social_sync.services.maintenance import record_missed_publications, refresh_expiring

    recovered = recover_abandoned()
    missed = record_missed_publications()
    refreshed = refresh_expiring()
    due = due_items(limit=10_000)
    enqueue_deliveries(due, force=True)
    return {"recovered": recovered, "missed": missed, "refreshed": refreshed, "due": len(due)}


def pull_comments():
    """Every few minutes: a pull task per official account, so the workers read the accounts
    side by side (each within its own token's rate limit)."""
    from social_sync.services.comments import accounts_to_pull

    ids = [account.pk for account in accounts_to_pull()]
    for account_id in ids:
        async_task("social_sync.tasks.pull_account_comments", account_id, group="social_comments")
    return {"accounts": len(ids)}


def pull_account_comments(account_id):
    """Takes in the new comments of one account (one worker at a time per account)."""
    from social_sync.services.comments import pull_one

    return pull_one(account_id)


def ensure_schedules():
    from django.conf import settings

    from newsroom.tasks import ensure_schedules as ensure

    schedules = [
        dict(spec, minutes=settings.COMMENTS_PULL_MINUTES)
        if spec["func"].endswith("pull_comments")
        else spec
        for spec in SCHEDULES
    ]
    ensure(schedules)


def warn_short_weeks():
    """Every hour: tell the editors once per account and week about a norm about to be missed."""
    from social_sync.content_calendar import warn_short_weeks as warn

    return [week.account.pk for week in warn()]
