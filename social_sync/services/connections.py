"""Clients for an account: endpoints from settings, a shared HTTP session, per-token limits."""

import functools
import hashlib

from django.conf import settings

import requests

from social_sync.clients.ok import OKClient
from social_sync.clients.ratelimit import FileRateLimiter, RedisRateLimiter
from social_sync.clients.vk import VKClient
from social_sync.models import AccountKind, Network


@functools.cache
def _session():
    session = requests.Session()
    session.headers["User-Agent"] = "pressoffice-social-sync/1.0"
    return session


def _limiter(rate):
    return _make_limiter(
        rate, settings.SOCIAL_RATE_MARGIN, str(settings.SOCIAL_RATE_LIMIT_DIR), settings.REDIS_URL
    )


@functools.cache
def _make_limiter(rate, margin, directory, redis_url):
    if redis_url:
        import redis

        return RedisRateLimiter(redis.Redis.from_url(redis_url), rate, margin=margin)
    return FileRateLimiter(directory, rate, margin=margin)


def rate_key(network, token):
    """The name of a token's rate limit; the token itself never reaches a file or Redis."""
    return f"{network}:" + hashlib.sha256(token.encode()).hexdigest()[:24]


def timeout():
    return (5, settings.SOCIAL_HTTP_TIMEOUT)


def retry_options():
    """In-process retries of transient errors, before the row goes back to the outbox."""
    return {"retries": settings.SOCIAL_CLIENT_RETRIES, "backoff": settings.SOCIAL_CLIENT_BACKOFF}


def vk_client(account):
    token = account.get_secret("access_token")
    # Posting needs a community admin's user token; its limit is the user-token one.
    rate = settings.SOCIAL_RATE_VK_USER
    return VKClient(
        base_url=settings.VK_API_URL,
        access_token=token,
        session=_session(),
        limiter=_limiter(rate),
        rate_key=rate_key("vk", token),
        timeout=timeout(),
        **retry_options(),
    )


def ok_client(account):
    token = account.get_secret("access_token")
    return OKClient(
        base_url=settings.OK_API_URL,
        application_key=account.ok_application_key,
        application_secret=account.get_secret("ok_application_secret"),
        access_token=token,
        session_secret_key=account.get_secret("ok_session_secret") or None,
        session=_session(),
        limiter=_limiter(settings.SOCIAL_RATE_OK),
        rate_key=rate_key("ok", token),
        timeout=timeout(),
        **retry_options(),
    )


def client_for(account):
    return vk_client(account) if account.network == Network.VK else ok_client(account)


def ok_gid(account):
    return account.owner_id if account.kind == AccountKind.COMMUNITY else None
