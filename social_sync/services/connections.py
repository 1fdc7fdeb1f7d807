"""How clients reach the networks: a shared HTTP session, per-token rate limits, timeouts."""

import functools
import hashlib

from django.conf import settings

import requests

from social_sync.clients.ratelimit import FileRateLimiter, RedisRateLimiter


@functools.cache
def session():
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
    """Connect within 5 s; the answer within the configured time."""
    return (5, settings.SOCIAL_HTTP_TIMEOUT)


def transport_options(network, token, rate):
    """How a client of ``network`` reaches it with ``token``: the shared session, the token's
    rate limit, timeouts and in-process retries (before the row goes back to the outbox)."""
    return {
        "session": session(),
        "limiter": _limiter(rate),
        "rate_key": rate_key(network, token),
        "timeout": timeout(),
        "retries": settings.SOCIAL_CLIENT_RETRIES,
        "backoff": settings.SOCIAL_CLIENT_BACKOFF,
    }


def vk_client(account):
    """The account's VK client: its user token (a community admin's, as posting and moderation
    need), within the user-token rate limit shared by every worker."""
    from social_sync.clients.vk import VKClient

    token = account.get_secret("access_token")
    return VKClient(
        base_url=settings.VK_API_URL,
        access_token=token,
        **transport_options("vk", token, settings.SOCIAL_RATE_VK_USER),
    )


def ok_client(account):
    """The account's OK client, signing with its application's keys."""
    from social_sync.clients.ok import OKClient

    token = account.get_secret("access_token")
    return OKClient(
        base_url=settings.OK_API_URL,
        application_key=account.ok_application_key,
        application_secret=account.get_secret("ok_application_secret"),
        access_token=token,
        session_secret_key=account.get_secret("ok_session_secret") or None,
        **transport_options("ok", token, settings.SOCIAL_RATE_OK),
    )
