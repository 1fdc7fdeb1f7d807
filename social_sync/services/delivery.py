"""Delivering one outbox row: claim it, do it once on the network, record the outcome.

Exactly once, through retries and crashes:
- a row is claimed by a conditional UPDATE, so one worker holds it at a time (a lease; a dead
  worker's rows on this host are taken back at once by ``recover_abandoned``);
- the remote id is saved the moment the network returns it;
- before a request that creates a post, ``write_started_at`` is committed. A later attempt that
  finds it set knows the earlier one may have reached the network: VK de-duplicates by ``guid``
  for about an hour, so within that window the same guid is sent again, past it (and always on
  OK, which has no guid) the account's wall is read back for the item's link before posting.
"""

import logging
import os
import random
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from social_sync.clients.errors import (
    AuthError,
    HumanActionRequired,
    NotFound,
    PermanentError,
    SocialError,
    TransientError,
)
from social_sync.clients.vk import VKClient
from social_sync.crypto import CredentialsUnreadable
from social_sync.models import (
    AccountKind,
    Network,
    OutboxAction,
    OutboxItem,
    OutboxState,
    SandboxPost,
    SocialAccount,
)
from social_sync.services import notify, tokens
from social_sync.services.connections import client_for, ok_gid
from social_sync.services.content import build_content

logger = logging.getLogger(__name__)

# VK keeps a guid for about an hour; past this age of the first write, read the wall back.
VK_GUID_TRUST = timedelta(minutes=50)
MAX_BACKOFF = 3600


class Postpone(Exception):
    """Not this row's turn yet (an edit or delete waits for its post)."""


class Withdrawn(Exception):
    """Nothing to do any more; the row is cancelled with this explanation."""


def worker_id():
    return f"{socket.gethostname()}:{os.getpid()}"


# --- claiming ---------------------------------------------------------------------------------


def claim(item_id):
    now = timezone.now()
    claimable = Q(state=OutboxState.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxState.SENDING, lease_until__lt=now
    )
    taken = (
        OutboxItem.objects.filter(claimable, pk=item_id)
        .exclude(account__is_active=False)
        .update(
            state=OutboxState.SENDING,
            attempts=F("attempts") + 1,
            lease_until=now + timedelta(seconds=settings.SOCIAL_DELIVERY_LEASE_SECONDS),
            claimed_by=worker_id(),
            first_attempt_at=Coalesce("first_attempt_at", now),
            updated_at=now,
        )
    )
    if not taken:
        return None
    return OutboxItem.objects.select_related("account").get(pk=item_id)


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed process nobody has reaped yet still answers the signal
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _dead_claims(rows):
    host = f"{socket.gethostname()}:"
    dead = []
    for pk, claimed_by in rows:
        pid = claimed_by.removeprefix(host)
        if claimed_by.startswith(host) and pid.isdigit() and not _pid_alive(int(pid)):
            dead.append(pk)
    return dead


def recover_abandoned():
    """Makes the rows and account locks of dead workers on this host free at once. Returns
    the count of rows taken back."""
    now = timezone.now()
    dead_rows = _dead_claims(
        OutboxItem.objects.filter(state=OutboxState.SENDING, lease_until__gte=now).values_list(
            "pk", "claimed_by"
        )
    )
    if dead_rows:
        OutboxItem.objects.filter(pk__in=dead_rows, state=OutboxState.SENDING).update(
            lease_until=now
        )
    dead_locks = _dead_claims(
        SocialAccount.objects.filter(delivery_lock_until__gte=now).values_list(
            "pk", "delivery_locked_by"
        )
    )
    if dead_locks:
        SocialAccount.objects.filter(pk__in=dead_locks).update(delivery_lock_until=None)
    return len(dead_rows)


# --- one account at a time ------------------------------------------------------------------


def _lock_account(account_id, me):
    now = timezone.now()
    return bool(
        SocialAccount.objects.filter(pk=account_id)
        .filter(
            Q(delivery_lock_until__isnull=True)
            | Q(delivery_lock_until__lt=now)
            | Q(delivery_locked_by=me)
        )
        .update(
            delivery_lock_until=now + timedelta(seconds=settings.SOCIAL_DELIVERY_LEASE_SECONDS),
            delivery_locked_by=me,
        )
    )


def _unlock_account(account_id, me):
    SocialAccount.objects.filter(pk=account_id, delivery_locked_by=me).update(
        delivery_lock_until=None
    )


def mark_delivery_queued(account_id):
    """True when no delivery task is queued or running for the account; then it is marked so.

    A mark older than the delivery lease is taken for a task lost with its worker.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.SOCIAL_DELIVERY_LEASE_SECONDS)
    return bool(
        SocialAccount.objects.filter(pk=account_id)
        .filter(Q(delivery_queued_at__isnull=True) | Q(delivery_queued_at__lt=stale))
        .update(delivery_queued_at=now)
    )


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
    import time

    max_seconds = settings.SOCIAL_DRAIN_SECONDS if max_seconds is None else max_seconds
    me = worker_id()
    outcomes = {}
    if not _lock_account(account_id, me):
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
                _lock_account(account_id, me)  # renew the lease
    finally:
        _unlock_account(account_id, me)
    return outcomes, _delivery_finished(account_id)


def drain(*, until_empty=True, max_seconds=600, sleep=None):
    """Delivers due rows in this process until none is left waiting (or time runs out).

    For benchmarks and tests; the worker does the same per account through django-q2
    (``drain_account``). Returns the count of each outcome.
    """
    import time

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
        waiting = OutboxItem.objects.filter(
            state__in=[OutboxState.PENDING, OutboxState.SENDING]
        ).order_by("next_attempt_at")
        if not until_empty or not waiting.exists():
            break
        first = waiting.values_list("next_attempt_at", "lease_until", "state").first()
        wake = first[1] if first[2] == OutboxState.SENDING and first[1] else first[0]
        sleep(min(1.0, max(0.01, (wake - timezone.now()).total_seconds())))
    return outcomes


def due_items(limit=500, account_id=None):
    now = timezone.now()
    rows = OutboxItem.objects.filter(
        Q(state=OutboxState.PENDING, next_attempt_at__lte=now)
        | Q(state=OutboxState.SENDING, lease_until__lt=now)
    )
    if account_id is not None:
        rows = rows.filter(account_id=account_id)
    return list(
        rows.filter(account__is_active=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


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
    _save(
        item,
        state=OutboxState.PENDING,
        lease_until=None,
        next_attempt_at=timezone.now() + timedelta(seconds=_backoff_seconds(item.attempts, error)),
        last_error=explanation,
        last_error_code=code,
    )
    return "retry"


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
    except HumanActionRequired as error:
        return _fail(item, error.explanation, error.code)
    except AuthError as error:
        return _fail(item, error.explanation, error.code)
    except PermanentError as error:
        return _fail(item, error.explanation, error.code)
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
    page = item.page.specific if item.page_id else None
    if item.action == OutboxAction.POST:
        if page is None or not page.live:
            raise Withdrawn("Материал снят с публикации или удалён до отправки.")
    else:
        post = _post_row(item)
        item.post_row = post
    if account.is_sandbox:
        return _deliver_to_sandbox(item, page)
    try:
        return _deliver_remote(item, page)
    except AuthError:
        if not account.can_refresh:
            raise
        seen = account.access_token_encrypted
        item.account = tokens.ensure_fresh(account, force=True, seen_token=seen)
        return _deliver_remote(item, page)


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


def _deliver_remote(item, page):
    account = tokens.ensure_fresh(item.account)
    item.account = account
    if item.action == OutboxAction.POST:
        return _post(item, page)
    if item.action == OutboxAction.EDIT:
        return _edit(item, page)
    return _delete(item)


def _mark_write_started(item):
    if item.write_started_at is None:
        _save(item, write_started_at=timezone.now())


# VK -------------------------------------------------------------------------------------------


def _vk_upload(client, account, content):
    group_id = account.numeric_owner_id if account.kind == AccountKind.COMMUNITY else None
    return [
        client.upload_wall_photo(
            group_id=group_id,
            content=image.read(),
            filename=image.filename,
            content_type=image.content_type,
        )
        for image in content.images
    ]


def _post(item, page):
    account = item.account
    content = build_content(page)
    client = client_for(account)
    since = item.write_started_at.timestamp() - 600 if item.write_started_at else None
    if account.network == Network.VK:
        owner_id = account.vk_wall_owner_id
        if item.write_started_at and timezone.now() - item.write_started_at > VK_GUID_TRUST:
            found = client.find_post(owner_id=owner_id, url=content.url, since=since)
            if found:
                return _finish(item, found, VKClient.post_url(owner_id, found))
        attachments = _vk_upload(client, account, content)
        _mark_write_started(item)
        post_id = client.post(
            owner_id=owner_id,
            message=content.text_for(Network.VK),
            attachments=[*attachments, content.url],
            guid=item.guid,
            from_group=account.kind == AccountKind.COMMUNITY,
        )
        _save(item, remote_meta={"attachments": attachments, "images": content.image_key})
        return _finish(item, post_id, VKClient.post_url(owner_id, post_id))
    gid = ok_gid(account)
    if item.write_started_at:
        found = client.find_topic(gid=gid, url=content.url, since=since)
        if found:
            return _finish(item, found, _ok_url(client, account, found))
    photo_tokens = _ok_upload(client, gid, content)
    _mark_write_started(item)
    topic_id = client.post_topic(
        gid=gid, text=content.text_for(Network.OK), link=content.url, photo_tokens=photo_tokens
    )
    return _finish(item, topic_id, _ok_url(client, account, topic_id))


def _ok_upload(client, gid, content):
    if not content.images:
        return []
    files = [(image.filename, image.read(), image.content_type) for image in content.images]
    return client.upload_photos(gid=gid, files=files)


def _ok_url(client, account, topic_id):
    if account.kind == AccountKind.COMMUNITY:
        return client.topic_url(account.owner_id, topic_id)
    return client.topic_url(None, topic_id, user_id=account.owner_id)


def _edit(item, page):
    account, post = item.account, item.post_row
    if account.network == Network.OK:
        raise Withdrawn(
            "Одноклассники не дают изменить опубликованную тему через API: "
            "при необходимости поправьте пост вручную."
        )
    content = build_content(page)
    client = client_for(account)
    meta = post.remote_meta or {}
    attachments = meta.get("attachments")
    if attachments is None or meta.get("images") != content.image_key:
        attachments = _vk_upload(client, account, content)
    client.edit(
        owner_id=account.vk_wall_owner_id,
        post_id=int(post.remote_id),
        message=content.text_for(Network.VK),
        attachments=[*attachments, content.url],
    )
    OutboxItem.objects.filter(pk=post.pk).update(
        remote_meta={"attachments": attachments, "images": content.image_key}
    )
    return _finish(item, post.remote_id, post.remote_url)


def _delete(item):
    account, post = item.account, item.post_row
    if account.network == Network.OK:
        raise Withdrawn(
            "Одноклассники не дают удалить тему через API: удалите пост вручную — "
            f"{post.remote_url}"
        )
    try:
        client_for(account).delete(owner_id=account.vk_wall_owner_id, post_id=int(post.remote_id))
    except NotFound:
        pass  # already gone: what we wanted
    return _finish(item, post.remote_id, post.remote_url)


# Sandbox ---------------------------------------------------------------------------------------


@transaction.atomic
def _deliver_to_sandbox(item, page):
    """Local, so the record and the outcome commit together: never twice."""
    now = timezone.now()
    if item.action == OutboxAction.POST:
        content = build_content(page)
        sandbox = SandboxPost.objects.create(
            account=item.account,
            text=content.text_for(item.account.network),
            link=content.url,
            images=[image.url for image in content.images],
        )
        # A path, not an address: the admin shows it on whatever host serves it.
        url = reverse("social_sync:sandbox_post", args=[sandbox.pk])
        return _finish(item, f"sandbox-{sandbox.pk}", url)
    sandbox_id = item.post_row.remote_id.removeprefix("sandbox-")
    sandbox = SandboxPost.objects.filter(pk=sandbox_id).first()
    if sandbox is not None:
        if item.action == OutboxAction.EDIT:
            content = build_content(page)
            sandbox.text = content.text_for(item.account.network)
            sandbox.images = [image.url for image in content.images]
            sandbox.edited_at = now
        else:
            sandbox.deleted_at = now
        sandbox.save()
    return _finish(item, item.post_row.remote_id, item.post_row.remote_url)
