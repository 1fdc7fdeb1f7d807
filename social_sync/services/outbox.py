"""Writing the outbox: which accounts a page goes to, in the transaction that publishes it."""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from social_sync.crossposting import crosspost_switch
from social_sync.models import (
    STYLE_HOLD,
    UNKNOWN_OUTCOME,
    OutboxAction,
    OutboxItem,
    OutboxState,
    SocialAccount,
)

logger = logging.getLogger(__name__)


def eligible_accounts(page, parent=None):
    """Accounts that take ``page``'s kind of material from its section, ticked or not. A page
    not yet in the tree is placed by ``parent``."""
    flag = crosspost_switch(page)
    if flag is None:
        return SocialAccount.objects.none()
    accounts = SocialAccount.objects.filter(is_active=True, auto_crosspost=True, **{flag: True})
    if page.path:
        ancestor_ids = list(page.get_ancestors().values_list("pk", flat=True))
    elif parent is not None:
        ancestor_ids = [parent.pk, *parent.get_ancestors().values_list("pk", flat=True)]
    else:
        ancestor_ids = []
    return accounts.filter(Q(sections__isnull=True) | Q(sections__in=ancestor_ids)).distinct()


def target_accounts(page):
    """Eligible accounts minus those the editor unticked on the page."""
    specific = page.specific
    # A page from a revision (a planned publication) holds its choice in memory: read it as such.
    skipped = {account.pk for account in specific.social_skip.all()} if specific.pk else set()
    return [account for account in eligible_accounts(page) if account.pk not in skipped]


def _enqueue(items):
    from social_sync import tasks

    ids = [item.pk for item in items]
    if ids:
        transaction.on_commit(lambda: tasks.enqueue_deliveries(ids))


def slot_of(page, account, now):
    """When the post to ``account`` may go out: the editor's time for its network, or now."""
    slot = page.social_slot(account.network) if hasattr(page, "social_slot") else None
    return max(now, slot) if slot else now


class _StyleGate:
    """Whether a post may go out in its network (``services.style_gate``), the text read once."""

    def __init__(self, page):
        self.page = page
        self.content = None
        self.held = []

    def reason(self, account):
        from social_sync.services.content import build_content
        from social_sync.services.style_gate import hold_reason

        if self.content is None:
            self.content = build_content(self.page, with_images=False)
        return hold_reason(self.page, self.content, account.network)

    def hold(self, post, reason):
        post.state = OutboxState.FAILED
        post.last_error = reason
        post.last_error_code = STYLE_HOLD
        self.held.append(post)

    def save(self, post, account, created):
        """Saves a new or renewed post row: held when its text must change, else queued."""
        reason = self.reason(account)
        if reason:
            self.hold(post, reason)
        post.save()
        if not reason:
            created.append(post)


@transaction.atomic
def record_publication(page):
    """Writes the outbox rows for a (re)published page: a post per new target, an edit per
    account it is already posted to. A post whose text still reads as a press release is
    written as held (``services.style_gate``)."""
    now = timezone.now()
    page = page.specific
    gate = _StyleGate(page)
    created = []
    existing = {
        item.account_id: item
        for item in OutboxItem.objects.select_for_update().filter(
            page=page, action=OutboxAction.POST
        )
    }
    for account in target_accounts(page):
        post = existing.get(account.pk)
        if post is None:
            post = OutboxItem(
                page=page,
                page_title=page.title[:255],
                account=account,
                action=OutboxAction.POST,
                next_attempt_at=slot_of(page, account, now),
            )
            gate.save(post, account, created)
        elif post.held_for_style:
            reason = gate.reason(account)
            if reason:
                post.last_error = reason
                post.save(update_fields=["last_error", "updated_at"])
            else:  # fixed, or sent anyway: it goes as a new post
                post.state = OutboxState.PENDING
                post.attempts = 0
                post.last_error = post.last_error_code = ""
                post.next_attempt_at = slot_of(page, account, now)
                post.save()
                created.append(post)
        elif post.state == OutboxState.CANCELLED or _was_deleted(post):
            # Unpublished before (or withdrawn while queued) and published again: a new post.
            post.state = OutboxState.PENDING
            post.generation += 1
            post.attempts = 0
            post.remote_id = post.remote_url = post.last_error = post.last_error_code = ""
            post.first_attempt_at = post.write_started_at = post.done_at = None
            post.next_attempt_at = slot_of(page, account, now)
            post.page_title = page.title[:255]
            gate.save(post, account, created)
        elif post.state == OutboxState.PENDING and post.attempts == 0:
            # Not tried yet: the editor may have moved its time.
            post.next_attempt_at = slot_of(page, account, now)
            post.page_title = page.title[:255]
            post.save(update_fields=["next_attempt_at", "page_title", "updated_at"])
        elif post.state == OutboxState.DONE:
            created.extend(_add_follow_up(page, account, OutboxAction.EDIT, now))
        # Pending or sending: the delivery reads the page when it runs, so it sends this version.
    _enqueue(created)
    if gate.held:
        from social_sync.services import notify

        notify.style_hold(page, gate.held)
    return created


def _was_deleted(post):
    return OutboxItem.objects.filter(
        page_id=post.page_id,
        account_id=post.account_id,
        action=OutboxAction.DELETE,
        state=OutboxState.DONE,
        created_at__gte=post.done_at or post.created_at,
    ).exists()


def _add_follow_up(page, account, action, now):
    """An edit or delete row, unless one is already waiting (it will do the latest)."""
    waiting = OutboxItem.objects.filter(
        page=page, account=account, action=action, state=OutboxState.PENDING
    ).exists()
    if waiting:
        return []
    return [
        OutboxItem.objects.create(
            page=page,
            page_title=page.title[:255],
            account=account,
            action=action,
            next_attempt_at=now,
        )
    ]


@transaction.atomic
def record_unpublication(page):
    now = timezone.now()
    created = []
    posts = OutboxItem.objects.select_for_update().filter(page=page, action=OutboxAction.POST)
    for post in posts.select_related("account"):
        if post.state == OutboxState.PENDING:
            post.state = OutboxState.CANCELLED
            post.last_error = "Материал снят с публикации до отправки."
            post.save(update_fields=["state", "last_error", "updated_at"])
            continue
        if post.state in (OutboxState.DONE, OutboxState.SENDING) and (
            post.account.delete_on_unpublish and not _was_deleted(post)
        ):
            OutboxItem.objects.filter(
                page=page, account=post.account, action=OutboxAction.EDIT, state=OutboxState.PENDING
            ).update(state=OutboxState.CANCELLED, updated_at=now)
            created.extend(_add_follow_up(page, post.account, OutboxAction.DELETE, now))
    _enqueue(created)
    return created


def retry(item, user=None, *, checked_absent=False):
    """Puts a failed delivery back in the queue (the retry button). A row whose outcome is
    unknown goes back only when a person has checked that the post is not in the channel
    (``checked_absent``): then it is sent again as if for the first time."""
    fields = dict(
        state=OutboxState.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        last_error="",
        last_error_code="",
        updated_at=timezone.now(),
    )
    rows = OutboxItem.objects.filter(pk=item.pk, state=OutboxState.FAILED)
    rows = rows.exclude(last_error_code=STYLE_HOLD)  # the text is fixed and published again
    if checked_absent:
        fields["write_started_at"] = None
    else:
        rows = rows.exclude(last_error_code=UNKNOWN_OUTCOME)
    updated = rows.update(**fields)
    if updated:
        logger.info("Outbox item %s put back in the queue by %s", item.pk, user)
        _enqueue([item])
    return bool(updated)


def mark_posted(item, url, user=None):
    """A person found the post in the channel: the row is done with the link they gave."""
    from social_sync.clients.telegram import TelegramClient

    remote_id = ""
    if item.account.network == "telegram":
        remote_id = TelegramClient.message_id_from_url(url) or ""
    updated = OutboxItem.objects.filter(
        pk=item.pk, state=OutboxState.FAILED, last_error_code=UNKNOWN_OUTCOME
    ).update(
        state=OutboxState.DONE,
        done_at=timezone.now(),
        remote_id=str(remote_id),
        remote_url=url,
        last_error="Пост найден в канале и отмечен вручную.",
        last_error_code="",
        updated_at=timezone.now(),
    )
    if updated:
        logger.info("Outbox item %s marked as posted by %s", item.pk, user)
    return bool(updated)


def retry_failed_of(account, user=None):
    """Puts every failed delivery of one account back in the queue (after its cause is fixed,
    e.g. new credentials or rights in the community). Returns how many."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboxItem.objects.select_for_update()
            .filter(account=account, state=OutboxState.FAILED)
            # A person looks at the channel first; a held text is fixed and published again.
            .exclude(last_error_code__in=[UNKNOWN_OUTCOME, STYLE_HOLD])
        )
        OutboxItem.objects.filter(pk__in=[row.pk for row in rows]).update(
            state=OutboxState.PENDING,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            last_error_code="",
            updated_at=now,
        )
        _enqueue(rows)
    if rows:
        logger.info(
            "%s failed rows of account %s put back in the queue by %s", len(rows), account.pk, user
        )
    return len(rows)
