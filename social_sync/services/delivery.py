"""Delivering one outbox row: claim it, do it once on the network, record the outcome.

Exactly once, through retries and crashes:
- a row is claimed by a conditional UPDATE, so one worker holds it at a time (a lease; a dead
  worker's rows on this host are taken back at once by ``recover_abandoned``);
- the remote id is saved the moment the network returns it;
- when a request that creates a post or a reply leaves (after its rate window opened, so a worker
  stopped while it waits has sent nothing), ``write_started_at`` is committed, and cleared again
  when the network certainly refused it. A later attempt that finds it set knows the earlier one
  may have reached the network: VK de-duplicates by ``guid`` for about an hour, so within that
  window the same guid is sent again, past it (and always on OK, which has no guid) the account's
  wall is read back for the item's link before posting;
- a wait the network asks for (``retry_after``), or a full rate window of the token, is stored on
  the account (``sending_paused_until``): no worker sends for it before then, a restarted one
  neither, and none sleeps through it — the account's task ends and a wake-up is scheduled.
Each channel's side is a publisher (``social_sync.publishing``); this module never asks which.
"""

import logging
import random
import time
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsroom.organisation import local_datetime
from social_sync.clients.base import MAX_INPROCESS_WAIT, write_watch
from social_sync.clients.errors import (
    AuthError,
    HumanActionRequired,
    LongBackoff,
    PermanentError,
    RateLimited,
    SocialError,
    TransientError,
)
from social_sync.crypto import CredentialsUnreadable
from social_sync.models import (
    UNKNOWN_OUTCOME,
    OutboxAction,
    OutboxItem,
    OutboxState,
    SocialAccount,
)
from social_sync.publishing import OutcomeUnknown, Withdrawn, publisher_for
from social_sync.services import notify, tokens
from social_sync.services.content import build_content, reply_images
from social_sync.services.leases import (  # noqa: F401  (claim, recover_abandoned: public API)
    claim,
    lock_account,
    mark_delivery_queued,
    recover_abandoned,
    unlock_account,
    worker_id,
)

logger = logging.getLogger(__name__)

MAX_BACKOFF = 3600


class Postpone(Exception):
    """Not this row's turn yet (an edit or delete waits for its post)."""


# --- one account at a time ------------------------------------------------------------------


def _delivery_finished(account_id):
    """Lets the next publication queue a task again. True when rows are still due (the time ran
    out, or they were written after the last look): they need another task."""
    SocialAccount.objects.filter(pk=account_id).update(delivery_queued_at=None)
    return bool(due_items(account_id=account_id, limit=1))


def drain_account(account_id, max_seconds=None):
    """Delivers an account's due rows one after another, for at most ``max_seconds``.

    One worker drains an account at a time (others return at once), so the account's requests
    follow each other within its rate limit and no two workers wait on the same token. Returns
    the outcomes and whether due rows were left for another run.
    """
    max_seconds = settings.SOCIAL_DRAIN_SECONDS if max_seconds is None else max_seconds
    me = worker_id()
    outcomes = {}
    if not lock_account(account_id, me):
        # The worker that holds the account takes the rows; the queued mark stays until it ends.
        return {"busy": 1}, False
    deadline = time.monotonic() + max_seconds
    timed_out = False
    try:
        while not timed_out:
            due = due_items(account_id=account_id, limit=50)
            if not due:
                break
            for pk in due:
                if time.monotonic() >= deadline:
                    timed_out = True
                    break
                outcome = deliver(pk)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                lock_account(account_id, me)  # renew the lease
    finally:
        unlock_account(account_id, me)
    return outcomes, _delivery_finished(account_id)


def drain(*, until_empty=True, max_seconds=600, sleep=None):
    """Delivers due rows in this process until none is left waiting (or time runs out).

    For benchmarks and tests; the worker does the same per account through django-q2
    (``drain_account``). Returns the count of each outcome.
    """
    sleep = sleep or time.sleep
    deadline = time.monotonic() + max_seconds
    outcomes = {}
    while time.monotonic() < deadline:
        due = due_items()
        for pk in due:
            outcome = deliver(pk)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if due:
            continue
        # Rows of an account on hold wait for a person, not for time: not worth waiting for.
        wake = next_wake()
        if not until_empty or wake is None:
            break
        sleep(min(1.0, max(0.01, (wake - timezone.now()).total_seconds())))
    return outcomes


def _sendable(rows, now):
    """Rows of accounts that may send now: active, not on hold (credentials that need a
    person), not paused by the network's or the token's rate."""
    return rows.filter(account__is_active=True, account__credentials_problem="").filter(
        Q(account__sending_paused_until__isnull=True) | Q(account__sending_paused_until__lte=now)
    )


def due_items(limit=500, account_id=None):
    now = timezone.now()
    rows = OutboxItem.objects.filter(
        Q(state=OutboxState.PENDING, next_attempt_at__lte=now)
        | Q(state=OutboxState.SENDING, lease_until__lt=now)
    )
    if account_id is not None:
        rows = rows.filter(account_id=account_id)
    return list(
        _sendable(rows, now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )


def next_wake(account_id=None):
    """When a waiting row (of the account, or of any) will next be due, or ``None``: its own
    back-off, its account's pause, or a lease that runs out, whichever is later."""
    rows = OutboxItem.objects.filter(
        state__in=[OutboxState.PENDING, OutboxState.SENDING],
        account__is_active=True,
        account__credentials_problem="",
    )
    if account_id is not None:
        rows = rows.filter(account_id=account_id)
    wakes = []
    for state, due, lease, paused in rows.values_list(
        "state", "next_attempt_at", "lease_until", "account__sending_paused_until"
    ).iterator():
        at = lease if state == OutboxState.SENDING and lease else due
        wakes.append(max(at, paused) if paused else at)
    return min(wakes, default=None)


# --- outcomes ---------------------------------------------------------------------------------


def _save(item, **fields):
    fields["updated_at"] = timezone.now()
    # Only the holder of the claim writes; a row taken over after a lost lease is left alone.
    OutboxItem.objects.filter(pk=item.pk, claimed_by=item.claimed_by).update(**fields)
    for name, value in fields.items():
        setattr(item, name, value)


def _finish(item, remote_id="", remote_url="", note=""):
    now = timezone.now()
    fields = dict(state=OutboxState.DONE, done_at=now, lease_until=None, last_error=note)
    if remote_id:
        fields.update(remote_id=str(remote_id), remote_url=remote_url)
    _save(item, **fields)
    return "done"


def _backoff_seconds(attempts, error=None):
    base = settings.SOCIAL_RETRY_BASE_SECONDS
    delay = min(MAX_BACKOFF, base * 2 ** max(0, attempts - 1))
    delay = delay * (0.5 + random.random() / 2)
    retry_after = getattr(error, "retry_after", None) or 0
    return max(delay, retry_after)


def _reschedule(item, error):
    explanation = error.explanation if isinstance(error, SocialError) else str(error)
    code = str(getattr(error, "code", "") or "")
    if item.attempts >= settings.SOCIAL_MAX_ATTEMPTS:
        return _fail(item, f"{explanation} Попыток: {item.attempts}.", code)
    next_attempt = timezone.now() + timedelta(seconds=_backoff_seconds(item.attempts, error))
    if isinstance(error, LongBackoff):
        # A wait of minutes or hours (flood control, quotas): say when it ends.
        explanation = f"{explanation} Следующая попытка — {local_datetime(next_attempt)}."
    _save(
        item,
        state=OutboxState.PENDING,
        lease_until=None,
        next_attempt_at=next_attempt,
        last_error=explanation,
        last_error_code=code,
    )
    return "retry"


def _pause(item, error):
    """The network asked to wait (or the token's window is full): the whole account waits, in
    the database, so that no worker — this one, another, one started after a restart — sends for
    it before then; this row goes back uncounted, to be sent first when the pause ends."""
    until = timezone.now() + timedelta(seconds=float(error.retry_after))
    SocialAccount.objects.filter(pk=item.account_id).filter(
        Q(sending_paused_until__isnull=True) | Q(sending_paused_until__lt=until)
    ).update(sending_paused_until=until)
    logger.info(
        "Outbox item %s: account paused for %.1f s (%s)", item.pk, error.retry_after, error.code
    )
    _save(
        item,
        state=OutboxState.PENDING,
        lease_until=None,
        attempts=max(0, item.attempts - 1),
        next_attempt_at=until,
        last_error=error.explanation,
        last_error_code=str(error.code or ""),
    )
    return "paused"


def _fail(item, explanation, code=""):
    _save(
        item,
        state=OutboxState.FAILED,
        lease_until=None,
        last_error=explanation,
        last_error_code=str(code or ""),
    )
    notify.delivery_failed(item, explanation)
    return "failed"


def _postpone(item, seconds=5):
    _save(
        item,
        state=OutboxState.PENDING,
        lease_until=None,
        attempts=max(0, item.attempts - 1),
        next_attempt_at=timezone.now() + timedelta(seconds=seconds),
    )
    return "postponed"


def _hold(item, error):
    """The account's credentials need a person: the account goes on hold (the editors are told
    once), and this row waits with the others, uncounted, instead of failing."""
    explanation = error.explanation
    tokens.record_problem(item.account, explanation)
    _save(
        item,
        state=OutboxState.PENDING,
        lease_until=None,
        attempts=max(0, item.attempts - 1),
        next_attempt_at=timezone.now(),
        last_error=f"Ждёт новых ключей доступа к аккаунту. {explanation}",
        last_error_code=str(error.code or ""),
    )
    return "held"


def _cancel(item, explanation):
    _save(item, state=OutboxState.CANCELLED, lease_until=None, last_error=explanation)
    return "cancelled"


# --- the work ---------------------------------------------------------------------------------


def deliver(item_id):
    """Delivers one row if it is due and free. Returns what happened, for logs and tests."""
    item = claim(item_id)
    if item is None:
        return "skipped"
    try:
        return _deliver_claimed(item)
    except Postpone:
        return _postpone(item)
    except Withdrawn as reason:
        return _cancel(item, str(reason))
    except OutcomeUnknown as reason:
        return _fail(item, str(reason), UNKNOWN_OUTCOME)
    except HumanActionRequired as error:
        return _fail(item, error.explanation, error.code)
    except AuthError as error:
        return _hold(item, error)
    except PermanentError as error:
        return _fail(item, error.explanation, error.code)
    except RateLimited as error:
        if (error.retry_after or 0) <= MAX_INPROCESS_WAIT:
            return _reschedule(item, error)
        return _pause(item, error)
    except TransientError as error:
        logger.info("Outbox item %s: transient error %s", item.pk, error.code)
        return _reschedule(item, error)
    except CredentialsUnreadable:
        return _fail(
            item,
            "Ключи аккаунта не расшифровываются текущим ключом шифрования "
            "(SOCIAL_TOKENS_KEYS): внесите ключи доступа заново.",
        )
    except Exception as error:  # a bug or an outage of our own side: keep the row, retry later
        logger.exception("Outbox item %s failed unexpectedly", item.pk)
        return _reschedule(item, error)


def _deliver_claimed(item):
    account = item.account
    problem = "" if account.is_sandbox else tokens.on_hold(account)
    if problem:  # put on hold after this row was claimed: no request with its token
        raise AuthError(account.network, None, "Аккаунт ждёт новых ключей.", explanation=problem)
    page = item.page.specific if item.page_id else None
    if item.action == OutboxAction.POST:
        if page is None or not page.live:
            raise Withdrawn("Материал снят с публикации или удалён до отправки.")
    elif item.action == OutboxAction.REPLY:
        if (item.case_id is None and item.comment_id is None) or not item.reply_text:
            raise Withdrawn("Обращение или ответ удалены до отправки.")
    else:
        post = _post_row(item)
        item.post_row = post
    watched = write_watch.set(_WriteMark(item))
    try:
        try:
            return _perform(item, page)
        except AuthError:
            if not account.can_refresh:
                raise
            seen = account.access_token_encrypted
            item.account = tokens.ensure_fresh(account, force=True, seen_token=seen)
            return _perform(item, page)
    finally:
        write_watch.reset(watched)


class _WriteMark:
    """The row's side of ``clients.base.WriteWatch``: ``write_started_at`` is committed when a
    request that may create the post or reply leaves, and withdrawn when the network certainly
    refused it and nothing else of this attempt was applied; requests wait for their rate window
    at most ``MAX_INPROCESS_WAIT`` seconds, then the account pauses (``_pause``)."""

    rate_wait = MAX_INPROCESS_WAIT

    def __init__(self, item):
        self.item = item
        self.marked_here = False
        self.applied_here = False
        self.sent = self.refusals = 0

    def sending(self):
        self.sent += 1
        if self.item.write_started_at is None:
            _save(self.item, write_started_at=timezone.now())
            self.marked_here = True

    def refused(self):
        self.refusals += 1
        # Withdrawn only when every request this attempt sent was refused for certain.
        if self.marked_here and not self.applied_here and self.refusals >= self.sent:
            _save(self.item, write_started_at=None)
            self.marked_here = False

    def applied(self):
        self.applied_here = True


def _perform(item, page):
    if not item.account.is_sandbox:
        item.account = tokens.ensure_fresh(item.account)
    publisher = publisher_for(item.account)
    # A local publisher's record and the row's outcome commit together: never twice.
    with transaction.atomic() if publisher.local else nullcontext():
        if item.action == OutboxAction.POST:
            return _post(item, page, publisher)
        if item.action == OutboxAction.REPLY:
            return _reply(item, publisher)
        if item.action == OutboxAction.EDIT:
            return _edit(item, page, publisher)
        return _delete(item, publisher)


def _post_row(item):
    post = OutboxItem.objects.filter(
        page_id=item.page_id, account_id=item.account_id, action=OutboxAction.POST
    ).first()
    if post is None or post.state in (OutboxState.CANCELLED, OutboxState.FAILED):
        raise Withdrawn("Пост не был опубликован, изменять или удалять нечего.")
    if post.state != OutboxState.DONE:
        raise Postpone
    if item.action == OutboxAction.EDIT and (item.page is None or not item.page.live):
        raise Withdrawn("Материал снят с публикации: изменение не нужно.")
    return post


# After a lost answer, the wall is read back and the post sent again at most this many times
# within the same attempt (pausing like the client's retries), before the row waits its back-off.
RECONCILE_ROUNDS = 2


def _reconciling(item, publisher, look, send):
    """``send`` once; after an answer that was lost, ``look`` (read back) at once and send
    again only if nothing is there, up to ``RECONCILE_ROUNDS`` times. A network that cannot be
    read back (Telegram) keeps the lost answer for the next attempt, which asks a person."""
    for round_ in range(RECONCILE_ROUNDS + 1):
        if item.write_started_at and not publisher.resend_is_safe(item.write_started_at):
            found = look()
            if found:
                return found, True
        try:
            return send(), False
        except TransientError as error:
            if not error.ambiguous or not publisher.reads_back or round_ == RECONCILE_ROUNDS:
                raise
            logger.info("Outbox item %s: answer lost (%s), reading back", item.pk, error.code)
            time.sleep(settings.SOCIAL_CLIENT_BACKOFF * 2 ** (round_ + 1) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def _post(item, page, publisher):
    content = build_content(page)
    since = (item.write_started_at or timezone.now()).timestamp() - 600
    prepared = []

    def look():
        return publisher.find(content, since=since)

    def send():
        if not prepared:
            prepared.append(publisher.prepare(content))
        return publisher.post(content, prepared[0], guid=item.guid)

    published, found = _reconciling(item, publisher, look, send)
    if found:
        return _finish(item, published.remote_id, published.url)
    if published.meta is not None:
        _save(item, remote_meta=published.meta)
    return _finish(item, published.remote_id, published.url, note=_images_left_out(item, publisher))


def _images_left_out(item, publisher):
    """The post went out without the images the network refused: say which and why."""
    if not publisher.rejected_images:
        return ""
    note = "Опубликовано без изображений, которые соцсеть не приняла: " + "; ".join(
        f"«{title}» — {why}" for title, why in publisher.rejected_images
    )
    notify.images_left_out(item, note)
    return note


def _reply(item, publisher):
    target, text = item.reply_target, item.reply_text
    images = reply_images(item.answer) if item.answer_id else []
    placed, found = _reconciling(
        item,
        publisher,
        # An earlier attempt may have placed it and VK no longer remembers the guid: look.
        lambda: publisher.find_reply(target, text),
        lambda: publisher.reply(target, text, guid=item.guid, images=images),
    )
    if found:
        return _reply_placed(item, placed)
    note = _images_left_out(item, publisher)
    if images and publisher.network == "ok":
        note = "Одноклассники не принимают фото в комментариях через API: ответ размещён текстом."
    return _reply_placed(item, placed, note)


def _own_reply_read_already(item, remote_id):
    """A comment pull may have read our reply before this row learnt its id (its first answer
    was lost): it is ours, not a citizen's comment for the moderators."""
    from social_sync.models import Comment, CommentStatus

    if remote_id:
        Comment.objects.filter(account_id=item.account_id, remote_id=str(remote_id)).update(
            is_ours=True, status=CommentStatus.DONE
        )


def _reply_placed(item, placed, note=""):
    """The network confirmed the reply: the row is done and the case records the link and the
    moment, together."""
    from newsroom.casework.services import cases

    url = placed.url
    if url.startswith("/"):  # the sandbox: its admin page on this site
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    with transaction.atomic():
        outcome = _finish(item, placed.remote_id, url, note=note)
        _own_reply_read_already(item, placed.remote_id)
        if item.case_id is None:  # a reply from the comment inbox
            from social_sync.services import moderation

            moderation.reply_placed(item, url)
            return outcome
        try:
            cases.answer_placed(item.case_id, url, timezone.now())
        except cases.CaseError as error:  # the row stays done: the reply is on the network
            logger.warning("Reply %s placed, case %s not updated: %s", item.pk, item.case_id, error)
    return outcome


def _edit(item, page, publisher):
    post = item.post_row
    meta = publisher.edit(post, page)
    if meta is not None:
        OutboxItem.objects.filter(pk=post.pk).update(remote_meta=meta)
    return _finish(item, post.remote_id, post.remote_url, note=_images_left_out(item, publisher))


def _delete(item, publisher):
    post = item.post_row
    publisher.delete(post)
    return _finish(item, post.remote_id, post.remote_url)
