"""Who holds an outbox row or an account's delivery, and for how long.

A row is claimed by a conditional UPDATE, so one worker holds it at a time (a lease); one worker
drains an account at a time (a lock with the same lease). A dead worker's rows and locks on this
host are taken back at once by ``recover_abandoned``; elsewhere its lease runs out.
"""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from social_sync.models import OutboxItem, OutboxState, SocialAccount


def worker_id():
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(item_id):
    """Takes the row for this worker, or None when it is not due or another worker has it.

    The UPDATE filters on the row's own columns only. A filter through a relation (the account)
    would make Django write ``WHERE id IN (SELECT …)``, which PostgreSQL does not re-check
    against a row another transaction has just claimed: two workers could both take it and post
    twice. The account's switch is read first instead.
    """
    now = timezone.now()
    sendable = OutboxItem.objects.filter(pk=item_id, account__is_active=True).exclude(
        account__sending_paused_until__gt=now
    )
    if not sendable.exists():  # switched off, or paused until the network's wait is over
        return None
    claimable = Q(state=OutboxState.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxState.SENDING, lease_until__lt=now
    )
    taken = OutboxItem.objects.filter(claimable, pk=item_id).update(
        state=OutboxState.SENDING,
        attempts=F("attempts") + 1,
        lease_until=now + timedelta(seconds=settings.SOCIAL_DELIVERY_LEASE_SECONDS),
        claimed_by=worker_id(),
        first_attempt_at=Coalesce("first_attempt_at", now),
        updated_at=now,
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


def lock_account(account_id, me):
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


def unlock_account(account_id, me):
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
