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
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from .errors import (
    LongBackoff,
    PermanentError,
    RateLimited,
    TransientError,
    WindowClosed,
    transport_error,
)
from .ratelimit import RateLimiter, RateWindowClosed

# A RateLimited error asking for a longer wait than this is not slept through inside a call:
# the caller hands the work back for the moment it may go instead of holding a worker.
MAX_INPROCESS_WAIT = 2.0


class WriteWatch(Protocol):
    """The caller's record of a write (a request that creates something on the network).

    ``sending`` is called when such a request leaves, after its rate window opened: from then on
    the network may have applied it. ``refused`` when the network certainly did not apply the
    last one (an error that proves it, or a connection never made); ``applied`` when it answered
    with success. ``rate_wait`` is the longest a request may wait for its rate window (``None``: as
    long as it takes); past it ``WindowClosed`` is raised with the wait, and nothing is sent.
    """

    rate_wait: float | None

    def sending(self) -> None: ...

    def refused(self) -> None: ...

    def applied(self) -> None: ...


# Set by the outbox delivery around one row's work; clients read it, never set it.
write_watch: ContextVar[WriteWatch | None] = ContextVar("write_watch", default=None)


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
        write: bool = False,
        restart_codes: tuple[Any, ...] = (),
    ) -> Any:
        watch = write_watch.get() if write or not idempotent else None
        attempt = 0
        while True:
            try:
                result = attempt_once()
            except LongBackoff as exc:
                _refused(watch, exc)
                raise
            except TransientError as exc:
                if not idempotent and exc.ambiguous:
                    raise
                _refused(watch, exc)
                error: Exception = exc
                wait_hint = exc
            except PermanentError as exc:
                _refused(watch, exc)
                if exc.network != network or exc.code not in restart_codes:
                    raise
                error = exc
                wait_hint = TransientError(network, exc.code, retry_after=exc.retry_after)
            else:
                if watch is not None:
                    watch.applied()
                return result
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


def _refused(watch: WriteWatch | None, error: Exception) -> None:
    """Tells the watch that the request just sent was certainly not applied (a closed rate
    window sent nothing, so there is nothing to tell)."""
    if watch is None or isinstance(error, WindowClosed):
        return
    if not getattr(error, "ambiguous", True):
        watch.refused()


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
        chat_limiter: RateLimiter | None = None,
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
        # A network that also limits the messages sent into one chat (MAX: 2 a second).
        self.chat_limiter = chat_limiter
        self.timeout = timeout
        self.retry = RetryPolicy(retries, backoff, max_backoff, sleep, rng)
        self._writing = False

    def __repr__(self) -> str:  # never show a token or a secret
        return f"<{type(self).__name__} {self.base_url}>"

    def send(self, url: str, data: dict[str, str]) -> requests.Response:
        """One API request (a form POST), counted against the token's rate limit."""
        return self.request("POST", url, data=data)

    def request(
        self, verb: str, url: str, *, messages: int = 1, chat: Any = None, **options: Any
    ) -> requests.Response:
        """One API request of any verb, counted against the token's rate limit as ``messages``
        calls (a network that limits messages counts an album of photos as one per photo), and
        against ``chat``'s own limit when it sends into a chat. The request's own error is not
        chained: a URL that carries a token (Telegram's) never reaches a log."""
        watch = write_watch.get()
        limits = [(self.limiter, self.rate_key)]
        if chat is not None:
            limits.append((self.chat_limiter, f"{self.rate_key}:chat:{chat}"))
        stamps = self._acquire(limits, messages, watch.rate_wait if watch is not None else None)
        if self._writing and watch is not None:
            watch.sending()  # after the rate window: a worker stopped while waiting sent nothing
        try:
            return self.session.request(verb, url, timeout=self.timeout, **options)
        except requests.RequestException as exc:
            raise transport_error(self.network, exc) from None
        finally:
            for limiter, key, stamp in stamps:  # counted from the answer, surely after arrival
                limiter.restamp(key, stamp)

    def _acquire(
        self, limits: list[tuple[RateLimiter | None, str]], messages: int, rate_wait: float | None
    ) -> list[tuple[RateLimiter, str, Any]]:
        """A slot in each limit per message, waiting at most ``rate_wait`` seconds in all."""
        stamps: list[tuple[RateLimiter, str, Any]] = []
        deadline = None if rate_wait is None else time.monotonic() + rate_wait
        try:
            for limiter, key in limits:
                if limiter is None:
                    continue
                for _ in range(max(1, messages)):
                    left = None if deadline is None else max(0.0, deadline - time.monotonic())
                    stamps.append((limiter, key, limiter.acquire(key, max_wait=left)))
        except RateWindowClosed as closed:
            # Slots already taken stay counted (the window is only ever overestimated).
            raise WindowClosed(self.network, closed.wait) from None
        return stamps

    def send_files(self, url: str, files: Any) -> requests.Response:
        """A file upload to a server the API named: not an API method, not rate-limited."""
        try:
            return self.session.post(url, files=files, timeout=self.timeout)
        except requests.RequestException as exc:
            raise transport_error(self.network, exc) from exc

    def retrying(self, attempt_once: Callable[[], Any], **options: Any) -> Any:
        """Runs ``attempt_once`` under the retry policy. ``write=True`` (implied by
        ``idempotent=False``) marks a call that creates something: its requests are reported
        to the ``write_watch`` as they leave."""
        writing = options.get("write", False) or not options.get("idempotent", True)
        self._writing = writing
        try:
            return self.retry.run(attempt_once, network=self.network, **options)
        finally:
            if writing:
                self._writing = False
