"""Client-side throttling per token: at most ``rate`` calls in any window of ``per + margin`` seconds.

Three implementations of one protocol, from narrow to wide:

* ``LocalRateLimiter`` — the threads of one process;
* ``FileRateLimiter`` — the processes of one host (a file per key, ``fcntl.flock``);
* ``RedisRateLimiter`` — several hosts (a sorted set per key, updated by a Lua script with the
  Redis server's clock).

All are sliding windows over the timestamps of the last ``rate`` calls: a call is allowed at ``t``
when fewer than ``rate`` calls happened in ``(t - window, t]``. ``margin`` widens the window a little
so that clock jitter between us and the service never makes a burst look like ``rate + 1`` calls.

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
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

# Float slack when comparing a timestamp with the window's edge (a nanosecond).
_EPSILON = 1e-9


class RateLimiter(Protocol):
    def acquire(self, key: str) -> None:
        """Block until one more call under ``key`` is allowed, and count it."""


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

    def acquire(self, key: str) -> None:
        while True:
            with self._lock:
                now = self._clock()
                calls = self._calls.setdefault(key, deque())
                while calls and calls[0] <= now - self.window + _EPSILON:
                    calls.popleft()
                if len(calls) < self.rate:
                    calls.append(now)
                    return
                wait = calls[0] + self.window - now
            self._sleep(max(wait, 0.001))


class FileRateLimiter:
    """Sliding window shared by the processes of one host through a locked file per key.

    The file holds the timestamps (``time.time()``) of the last ``rate`` calls, one per line. The lock
    is held only to read and rewrite those few lines; waiting happens outside it.
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

    def acquire(self, key: str) -> None:
        path = self.path_for(key)
        while True:
            wait = self._try(path)
            if wait <= 0:
                return
            self._sleep(wait)

    def _try(self, path: Path) -> float:
        """Take a slot and return 0, or return how long to wait before trying again."""
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with os.fdopen(os.dup(fd), "r+", encoding="ascii") as f:
                calls = _parse_times(f.read())
                now = self._clock()
                # Drop what left the window, and nonsense from a clock that jumped back.
                calls = [t for t in calls if now - self.window + _EPSILON < t <= now + self.window]
                if len(calls) < self.rate:
                    calls.append(now)
                    f.seek(0)
                    f.truncate()
                    f.write("".join(f"{t:.6f}\n" for t in calls[-self.rate :]))
                    f.flush()
                    return 0.0
                return max(min(calls) + self.window - now, 0.001)
        finally:
            os.close(fd)  # also releases the lock


def _parse_times(text: str) -> list[float]:
    times = []
    for line in text.split():
        try:
            times.append(float(line))
        except ValueError:
            continue  # a torn or foreign line: ignore it rather than block forever
    times.sort()
    return times


# KEYS[1] = the sorted set; ARGV = rate, window in microseconds, a unique member suffix.
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
  redis.call('ZADD', key, now, now .. ':' .. ARGV[3])
  redis.call('PEXPIRE', key, math.floor(window / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1000 then wait = 1000 end
return wait
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

    def acquire(self, key: str) -> None:
        window_us = int(self.window * 1_000_000)
        while True:
            wait_us = int(
                self._script(
                    keys=[self.prefix + key], args=[self.rate, window_us, uuid.uuid4().hex]
                )
            )
            if wait_us <= 0:
                return
            self._sleep(wait_us / 1_000_000)
