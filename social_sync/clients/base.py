"""What every network client shares: the HTTP transport and the retry policy.

A client is built with the service's base URL (from settings, a local fake in tests), an HTTP
session, an optional per-token rate limiter and a timeout on every request. Errors are read from
the answer by the network's own ``classify`` (VK reports them inside an HTTP 200 body); the
retry policy decides what is tried again in the process and what goes back to the outbox.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from .errors import LongBackoff, PermanentError, RateLimited, TransientError, transport_error
from .ratelimit import RateLimiter

# A RateLimited error asking for a longer wait than this is not slept through inside a call:
# the caller reschedules the work instead of holding a worker.
MAX_INPROCESS_WAIT = 60.0


def backoff_delay(
    error: TransientError, attempt: int, *, backoff: float, max_backoff: float, rng
) -> float:
    """Exponential backoff with full jitter; never less than the service's ``retry_after``."""
    ceiling = min(max_backoff, backoff * (2**attempt))
    delay = rng() * ceiling
    if error.retry_after is not None:
        delay = max(delay, error.retry_after)
    return delay


@dataclass(frozen=True)
class RetryPolicy:
    """In-process retries of transient errors: how many, how long between them.

    A non-idempotent call is retried only after errors that certainly did not apply it; a
    permanent error is retried only when its code is one of ``restart_codes`` (a multi-step
    upload that must start again from its first step).
    """

    retries: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    sleep: Callable[[float], None] = time.sleep
    rng: Callable[[], float] = random.random

    def run(
        self,
        attempt_once: Callable[[], Any],
        *,
        network: str,
        idempotent: bool = True,
        restart_codes: tuple[Any, ...] = (),
    ) -> Any:
        attempt = 0
        while True:
            try:
                return attempt_once()
            except LongBackoff:
                raise
            except TransientError as exc:
                if not idempotent and exc.ambiguous:
                    raise
                error: Exception = exc
                wait_hint = exc
            except PermanentError as exc:
                if exc.network != network or exc.code not in restart_codes:
                    raise
                error = exc
                wait_hint = TransientError(network, exc.code)
            if attempt >= self.retries:
                raise error
            if isinstance(error, RateLimited) and (error.retry_after or 0) > MAX_INPROCESS_WAIT:
                raise error
            self.sleep(
                backoff_delay(
                    wait_hint,
                    attempt,
                    backoff=self.backoff,
                    max_backoff=self.max_backoff,
                    rng=self.rng,
                )
            )
            attempt += 1


def json_body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class Transport:
    """The HTTP side of a client: every API request passes the rate limiter and has a timeout."""

    network = ""

    def __init__(
        self,
        *,
        base_url: str,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        rate_key: str = "",
        timeout: float | tuple[float, float] = (5, 20),
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.base_url = base_url
        self.session = session or requests.Session()
        self.limiter = limiter
        self.rate_key = rate_key
        self.timeout = timeout
        self.retry = RetryPolicy(retries, backoff, max_backoff, sleep, rng)

    def __repr__(self) -> str:  # never show a token or a secret
        return f"<{type(self).__name__} {self.base_url}>"

    def send(self, url: str, data: dict[str, str]) -> requests.Response:
        """One API request (a form POST), counted against the token's rate limit."""
        return self.request("POST", url, data=data)

    def request(self, verb: str, url: str, **options: Any) -> requests.Response:
        """One API request of any verb, counted against the token's rate limit. The request's
        own error is not chained: a URL that carries a token (Telegram's) never reaches a log."""
        stamp = self.limiter.acquire(self.rate_key) if self.limiter is not None else None
        try:
            return self.session.request(verb, url, timeout=self.timeout, **options)
        except requests.RequestException as exc:
            raise transport_error(self.network, exc) from None
        finally:
            if stamp is not None:  # counted from the answer, surely after the call arrived
                self.limiter.restamp(self.rate_key, stamp)

    def send_files(self, url: str, files: Any) -> requests.Response:
        """A file upload to a server the API named: not an API method, not rate-limited."""
        try:
            return self.session.post(url, files=files, timeout=self.timeout)
        except requests.RequestException as exc:
            raise transport_error(self.network, exc) from exc

    def retrying(self, attempt_once: Callable[[], Any], **options: Any) -> Any:
        return self.retry.run(attempt_once, network=self.network, **options)
