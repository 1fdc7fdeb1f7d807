"""Keeping VK ID user tokens fresh: one refresher per account across all workers."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from social_sync.clients.errors import AuthError, RateLimited, TransientError
from social_sync.clients.vkid import RefreshError, refresh_tokens
from social_sync.models import SocialAccount
from social_sync.services import notify
from social_sync.services.connections import session, timeout

logger = logging.getLogger(__name__)

REFRESH_AHEAD = timedelta(minutes=5)
LOCK_SECONDS = 60
# vk.md: after a timeout or 5xx the refresh is sent once more (after this pause); when that
# fails too, the account waits this long before anyone asks VK ID again.
REFRESH_RETRY_PAUSE = 1.0
REFRESH_BACKOFF_SECONDS = 60.0


def sharing_credentials(account):
    """The accounts that hold the same VK ID session as ``account`` (itself included): a
    community and the Head's page run by one person share one user token and one refresh token.
    They must be refreshed as one: a refresh spends the refresh token for all of them."""
    if not account.can_refresh:
        return [account]
    refresh = account.get_secret("refresh_token")
    candidates = SocialAccount.objects.filter(
        network=account.network,
        vk_client_id=account.vk_client_id,
        vk_device_id=account.vk_device_id,
    ).order_by("pk")
    return [other for other in candidates if other.get_secret("refresh_token") == refresh] or [
        account
    ]


def _leader(account):
    """The account whose lease guards the refresh of a shared session: the oldest of them."""
    return sharing_credentials(account)[0]


def _take_lock(account):
    now = timezone.now()
    return bool(
        SocialAccount.objects.filter(pk=_leader(account).pk)
        .filter(Q(refresh_lock_until__isnull=True) | Q(refresh_lock_until__lt=now))
        .update(refresh_lock_until=now + timedelta(seconds=LOCK_SECONDS))
    )


def _release_lock(account):
    SocialAccount.objects.filter(pk=_leader(account).pk).update(refresh_lock_until=None)


def record_problem(account, explanation, *, tell=True):
    """Puts the account on hold: its rows wait (``delivery.due_items`` passes it over) and no
    token of it is sent again until a person enters new credentials. The editors are told once,
    by whichever worker put it on hold first (``tell=False``: the caller tells them itself)."""
    now = timezone.now()
    first = SocialAccount.objects.filter(pk=account.pk, credentials_problem="").update(
        credentials_problem=explanation, credentials_problem_at=now
    )
    account.credentials_problem, account.credentials_problem_at = explanation, now
    if first and tell:
        notify.credentials_problem(account, explanation)
    return bool(first)


def on_hold(account):
    """The explanation of why the account's deliveries wait for a person, or ""."""
    return (
        SocialAccount.objects.filter(pk=account.pk)
        .values_list("credentials_problem", flat=True)
        .first()
        or ""
    )


def ensure_fresh(account, *, force=False, seen_token=None):
    """Refreshes the account's VK token when it expires within five minutes, or at once when
    ``force`` (after an error 5) unless another worker already replaced ``seen_token``.

    Returns the account re-read from the database. Raises AuthError when a person must log in
    again, TransientError when the token service should be asked later.
    """
    if not account.can_refresh:
        return account
    if not force and not account.token_expires_soon(REFRESH_AHEAD):
        return account
    problem = on_hold(account)
    if problem:  # a spent or refused refresh token is never sent again
        raise AuthError("vkid", None, "Аккаунт ждёт новых ключей.", explanation=problem)
    deadline = time.monotonic() + LOCK_SECONDS
    while not _take_lock(account):
        if time.monotonic() > deadline:
            raise TransientError("vkid", None, "Ключ обновляет другой процесс.", ambiguous=False)
        time.sleep(0.5)
        account.refresh_from_db()
        if not account.token_expires_soon(REFRESH_AHEAD) and (
            not force or account.access_token_encrypted != seen_token
        ):
            return account
    try:
        account.refresh_from_db()
        if (
            force
            and seen_token is not None
            and account.access_token_encrypted != seen_token
            and not account.token_expires_soon(REFRESH_AHEAD)
        ):
            return account  # someone refreshed while we waited
        if not force and not account.token_expires_soon(REFRESH_AHEAD):
            return account
        sharing = sharing_credentials(account)
        pair = _exchange(account, sharing)
        expires_at = timezone.now() + timedelta(seconds=int(pair.expires_in))
        with transaction.atomic():  # every account of the session gets the new pair at once
            for holder in sharing:
                holder.set_secret("access_token", pair.access_token)
                holder.set_secret("refresh_token", pair.refresh_token)
                holder.token_expires_at = expires_at
                holder.credentials_problem = ""
                holder.credentials_problem_at = None
                holder.save(
                    update_fields=[
                        "access_token_encrypted",
                        "refresh_token_encrypted",
                        "token_expires_at",
                        "credentials_problem",
                        "credentials_problem_at",
                        "updated_at",
                    ]
                )
        logger.info("VK token of accounts %s refreshed", ", ".join(str(h.pk) for h in sharing))
        account.refresh_from_db()
        return account
    finally:
        _release_lock(account)


def _exchange(account, sharing=()):
    kwargs = dict(
        token_url=settings.VK_ID_TOKEN_URL,
        client_id=account.vk_client_id,
        device_id=account.vk_device_id,
        session=session(),
        timeout=timeout(),
    )
    refresh_token = account.get_secret("refresh_token")
    try:
        return refresh_tokens(refresh_token=refresh_token, **kwargs)
    except RefreshError as first:
        if first.kind != "transient":
            _give_up(account, first, sharing)
        time.sleep(REFRESH_RETRY_PAUSE)
        try:  # once more with the same refresh token: the first answer may have been lost
            return refresh_tokens(refresh_token=refresh_token, **kwargs)
        except RefreshError as second:
            if second.kind == "transient":
                # Back off: the account pauses (every row and worker), not only this row.
                raise RateLimited(
                    "vkid",
                    second.code,
                    "VK ID unavailable",
                    retry_after=REFRESH_BACKOFF_SECONDS,
                    explanation="Сервис VK ID временно недоступен: ключ обновим автоматически "
                    "через минуту.",
                ) from second
            _give_up(account, second, sharing)


def _give_up(account, error, sharing=()):
    explanation = (
        "Не удалось обновить ключ доступа ВКонтакте: нужен повторный вход администратора "
        "сообщества через VK ID, затем новые ключи вносятся в настройки аккаунта. "
        f"({error.explanation})"
    )
    holders = list(sharing) or [account]
    # The refresh token is spent for all of them: all wait, and the editors get one notice.
    newly = [holder for holder in holders if record_problem(holder, explanation, tell=False)]
    if newly:
        notify.credentials_problem(newly[0], explanation, also=newly[1:])
    raise AuthError("vkid", error.code, error.description, explanation=explanation) from error
