"""Client-side throttling per token: at most ``rate`` calls in any window of ``per + margin`` seconds.

Three implementations of one protocol, from narrow to wide:

* ``LocalRateLimiter`` — the threads of one process;
* ``FileRateLimiter`` — the processes of one host (a file per key, ``fcntl.flock``);
* ``RedisRateLimiter`` — several hosts (a sorted set per key, updated by a Lua script with the
  Redis server's clock).

All are sliding windows over the timestamps of the last ``rate`` calls: a call is allowed at ``t``
when fewer than ``rate`` calls happened in ``(t - window, t]``. ``margin`` widens the window a little
so that clock jitter between us and the service never makes a burst look like ``rate + 1`` calls.

A call's time is taken when the limiter lets it through, but the service counts it when it
arrives: a process held up between the two (pre-empted, or waiting on the disk while it writes the
limiter's file) makes a burst look like ``rate + 1`` calls to the service. So ``acquire`` returns a
stamp, and the caller hands it to ``restamp`` when the answer has come: the call is then counted
from a moment that is surely after its arrival. Restamping only ever moves a call later, so it can
delay the next calls but never let more through; a call that is never restamped counts from
``acquire``.

Keys are derived by the caller from the token (for example ``sha256(token)[:16]``); raw tokens never
reach a file name or Redis. ``FileRateLimiter`` hashes the key once more for its file name.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

# Float slack when comparing a timestamp with the window's edge (a nanosecond).
_EPSILON = 1e-9


class RateWindowClosed(Exception):
    """The next slot opens later than the caller is willing to wait: nothing was counted."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"rate window opens in {wait:.3f} s")
        self.wait = wait


def _give_up(started: float, now: float, wait: float, max_wait: float | None) -> None:
    """Raise ``RateWindowClosed`` when waiting ``wait`` more would pass ``max_wait`` in all."""
    if max_wait is not None and (now - started) + wait > max_wait + _EPSILON:
        raise RateWindowClosed(wait)


class RateLimiter(Protocol):
    def acquire(self, key: str, max_wait: float | None = None) -> Any:
        """Block until one more call under ``key`` is allowed, count it and return its stamp.
        With ``max_wait``, raise ``RateWindowClosed`` instead of waiting longer than that."""

    def restamp(self, key: str, stamp: Any) -> None:
        """Count the call of ``stamp`` from now (call it when the call's answer has come)."""


def _check(rate: int, per: float, margin: float) -> float:
    if rate < 1:
        raise ValueError("rate must be at least 1")
    if per <= 0 or margin < 0:
        raise ValueError("per must be positive and margin not negative")
    return per + margin


class LocalRateLimiter:
    """Sliding window for the threads of one process."""

    def __init__(
        self,
        rate: int,
        per: float = 1.0,
        margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.window = _check(rate, per, margin)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._calls: dict[str, deque[float]] = {}

    def acquire(self, key: str, max_wait: float | None = None) -> float:
        started = self._clock()
        while True:
            with self._lock:
                now = self._clock()
                calls = self._calls.setdefault(key, deque())
                while calls and calls[0] <= now - self.window + _EPSILON:
                    calls.popleft()
                if len(calls) < self.rate:
                    calls.append(now)
                    return now
                wait = calls[0] + self.window - now
            _give_up(started, now, wait, max_wait)
            self._sleep(max(wait, 0.001))

    def restamp(self, key: str, stamp: float) -> None:
        with self._lock:
            calls = self._calls.setdefault(key, deque())
            try:
                calls.remove(stamp)
            except ValueError:
                pass  # already out of the window
            calls.append(max(self._clock(), calls[-1] if calls else 0.0))


class FileRateLimiter:
    """Sliding window shared by the processes of one host through a locked file per key.

    The file holds the timestamps (``time.time()``) of the calls still in the window, one per
    line. The lock is held only to read and rewrite those few lines; waiting happens outside it.
    """

    def __init__(
        self,
        directory: Path | str,
        rate: int,
        per: float = 1.0,
        margin: float = 0.05,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.directory = Path(directory)
        self.rate = rate
        self.window = _check(rate, per, margin)
        self._clock = clock
        self._sleep = sleep
        self.directory.mkdir(parents=True, exist_ok=True)

    def path_for(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.directory / f"{digest}.ratelimit"

    def acquire(self, key: str, max_wait: float | None = None) -> str:
        path = self.path_for(key)
        started = self._clock()
        while True:
            stamp, wait = self._try(path)
            if stamp is not None:
                return stamp
            _give_up(started, self._clock(), wait, max_wait)
            self._sleep(wait)

    def restamp(self, key: str, stamp: str) -> None:
        with self._locked(self.path_for(key)) as (calls, now, write):
            if stamp in calls:
                calls.remove(stamp)
            write([*calls, _format_time(now)])

    def _try(self, path: Path) -> tuple[str | None, float]:
        """Take a slot and return its stamp, or ``(None, seconds to wait before trying again)``."""
        with self._locked(path) as (calls, now, write):
            if len(calls) < self.rate:
                stamp = _format_time(now)
                write([*calls, stamp])
                return stamp, 0.0
            return None, max(min(map(float, calls)) + self.window - now, 0.001)

    @contextmanager
    def _locked(self, path: Path) -> Iterator[tuple[list[str], float, Callable[[list[str]], None]]]:
        """The file's calls still in the window (as written), the time, and a writer, under the
        file's lock."""
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with os.fdopen(os.dup(fd), "r+", encoding="ascii") as f:
                now = self._clock()
                # Drop what left the window, and nonsense from a clock that jumped back.
                calls = [
                    line
                    for line in _valid_lines(f.read())
                    if now - self.window + _EPSILON < float(line) <= now + self.window
                ]

                def write(lines: list[str]) -> None:
                    f.seek(0)
                    f.truncate()
                    f.write("".join(f"{line}\n" for line in lines))
                    f.flush()

                yield calls, now, write
        finally:
            os.close(fd)  # also releases the lock


def _format_time(t: float) -> str:
    return f"{t:.6f}"


def _valid_lines(text: str) -> list[str]:
    lines = []
    for line in text.split():
        try:
            float(line)
        except ValueError:
            continue  # a torn or foreign line: ignore it rather than block forever
        lines.append(line)
    return lines


# KEYS[1] = the sorted set; ARGV = rate, window in microseconds, a unique member.
# Returns 0 when the call is counted, otherwise the wait in microseconds.
_REDIS_SCRIPT = """
if redis.replicate_commands then pcall(redis.replicate_commands) end
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < rate then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, math.floor(window / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1000 then wait = 1000 end
return wait
"""

# KEYS[1] = the sorted set; ARGV = the call's member, window in microseconds.
_REDIS_RESTAMP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], math.floor(tonumber(ARGV[2]) / 1000) + 1000)
end
return now
"""


class RedisRateLimiter:
    """Sliding window shared by several hosts, kept in Redis with the Redis server's clock."""

    def __init__(
        self,
        client: Any,
        rate: int,
        per: float = 1.0,
        margin: float = 0.05,
        prefix: str = "ratelimit:",
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.rate = rate
        self.window = _check(rate, per, margin)
        self.prefix = prefix
        self._sleep = sleep
        self._script = client.register_script(_REDIS_SCRIPT)
        self._restamp = client.register_script(_REDIS_RESTAMP)

    def acquire(self, key: str, max_wait: float | None = None) -> str:
        window_us = int(self.window * 1_000_000)
        member = uuid.uuid4().hex
        started = time.monotonic()
        while True:
            wait_us = int(
                self._script(keys=[self.prefix + key], args=[self.rate, window_us, member])
            )
            if wait_us <= 0:
                return member
            _give_up(started, time.monotonic(), wait_us / 1_000_000, max_wait)
            self._sleep(wait_us / 1_000_000)

    def restamp(self, key: str, stamp: str) -> None:
        window_us = int(self.window * 1_000_000)
        self._restamp(keys=[self.prefix + key], args=[stamp, window_us])
