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
    if settings.SOCIAL_CA_BUNDLE:  # e.g. with the Russian trusted root MAX's host is signed by
        session.verify = str(settings.SOCIAL_CA_BUNDLE)
    return session


def _limiter(rate, per=1.0):
    return _make_limiter(
        rate,
        settings.SOCIAL_RATE_MARGIN,
        str(settings.SOCIAL_RATE_LIMIT_DIR),
        settings.REDIS_URL,
        per,
    )


@functools.cache
def _make_limiter(rate, margin, directory, redis_url, per=1.0):
    if redis_url:
        import redis

        return RedisRateLimiter(redis.Redis.from_url(redis_url), rate, per=per, margin=margin)
    return FileRateLimiter(directory, rate, per=per, margin=margin)


def rate_key(network, token):
    """The name of a token's rate limit; the token itself never reaches a file or Redis."""
    return f"{network}:" + hashlib.sha256(token.encode()).hexdigest()[:24]


def timeout():
    """Connect within 5 s; the answer within the configured time."""
    return (5, settings.SOCIAL_HTTP_TIMEOUT)


def transport_options(network, token, rate, per=1.0, scope=""):
    """How a client of ``network`` reaches it with ``token``: the shared session, the token's
    rate limit (``rate`` calls in ``per`` seconds, per ``scope`` — a channel — where given),
    timeouts and in-process retries (before the row goes back to the outbox)."""
    return {
        "session": session(),
        "limiter": _limiter(rate, per),
        "rate_key": rate_key(network, token) + (f":{scope}" if scope else ""),
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


def telegram_client(account):
    """The account's Telegram client: its bot's token, within the per-channel message limit."""
    from social_sync.clients.telegram import TelegramClient

    token = account.get_secret("access_token")
    options = transport_options(
        "telegram",
        token,
        settings.SOCIAL_RATE_TELEGRAM_PER_MINUTE,
        per=60.0,
        scope=hashlib.sha256(account.owner_id.encode()).hexdigest()[:12],
    )
    return TelegramClient(base_url=settings.TELEGRAM_API_URL, bot_token=token, **options)


def max_client(account):
    """The account's MAX client: its bot's token, within the token's requests per second."""
    from social_sync.clients.max import MaxClient

    token = account.get_secret("access_token")
    return MaxClient(
        base_url=settings.MAX_API_URL,
        access_token=token,
        chat_limiter=_limiter(settings.SOCIAL_RATE_MAX_CHAT),
        **transport_options("max", token, settings.SOCIAL_RATE_MAX),
    )
