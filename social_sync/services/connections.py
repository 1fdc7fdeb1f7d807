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
