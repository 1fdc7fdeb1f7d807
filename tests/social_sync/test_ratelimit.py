"""Client-side rate limiting: a fake clock in one process, real processes on one host, Redis if present."""

from __future__ import annotations

import multiprocessing
import threading
import time
import uuid
from pathlib import Path

import pytest

from social_sync.clients.ratelimit import FileRateLimiter, LocalRateLimiter, RedisRateLimiter


class FakeClock:
    def __init__(self, start: float = 1000.0):
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds


def max_in_window(times: list[float], window: float) -> int:
    """The largest number of calls in any half-open interval of length ``window``."""
    times = sorted(times)
    best = 0
    start = 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_local_limiter_with_a_fake_clock():
    clock = FakeClock()
    limiter = LocalRateLimiter(3, per=1.0, margin=0.05, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(10):
        limiter.acquire("token-a")
        times.append(clock.now)
    # Bursts of three, one window (1.05 s) apart.
    assert times[:3] == [1000.0] * 3
    assert times[3:6] == [pytest.approx(1001.05)] * 3
    assert max_in_window(times, 1.05 - 1e-6) == 3
    assert all(s == pytest.approx(1.05) for s in clock.sleeps)
    assert times[-1] == pytest.approx(1000.0 + 3 * 1.05)
    # Another key has its own window.
    before = clock.now
    limiter.acquire("token-b")
    assert clock.now == before


def test_local_limiter_lets_old_calls_leave_the_window():
    clock = FakeClock()
    limiter = LocalRateLimiter(2, per=1.0, margin=0.0, clock=clock, sleep=clock.sleep)
    limiter.acquire("k")
    clock.now += 0.6
    limiter.acquire("k")
    limiter.acquire("k")  # must wait until the first call is 1 s old
    assert clock.now == pytest.approx(1001.0)
    assert clock.sleeps == [pytest.approx(0.4)]


def test_a_restamped_call_counts_from_its_answer():
    clock = FakeClock()
    limiter = LocalRateLimiter(2, per=1.0, margin=0.0, clock=clock, sleep=clock.sleep)
    first = limiter.acquire("k")
    limiter.acquire("k")
    clock.now += 0.3  # the first call's answer comes 0.3 s after it was let through
    limiter.restamp("k", first)
    limiter.acquire("k")  # waits for the second call (1000.0) to leave the window, not the first
    assert clock.now == pytest.approx(1001.0)
    limiter.acquire("k")  # and now for the first, counted from 1000.3
    assert clock.now == pytest.approx(1001.3)


def test_file_limiter_restamps_across_instances(tmp_path):
    clock = FakeClock()
    one = FileRateLimiter(tmp_path, 2, per=1.0, margin=0.0, clock=clock, sleep=clock.sleep)
    two = FileRateLimiter(tmp_path, 2, per=1.0, margin=0.0, clock=clock, sleep=clock.sleep)
    first = one.acquire("k")
    two.acquire("k")
    clock.now += 0.4
    one.restamp("k", first)
    two.acquire("k")
    assert clock.now == pytest.approx(1001.0)
    two.acquire("k")
    assert clock.now == pytest.approx(1001.4)
    # A stamp that has already left the window is counted from now all the same.
    clock.now += 5
    one.restamp("k", first)
    assert len(one.path_for("k").read_text().split()) == 1


def test_local_limiter_threads():
    limiter = LocalRateLimiter(3, per=0.1, margin=0.02)
    times: list[float] = []
    lock = threading.Lock()

    def work():
        for _ in range(3):
            limiter.acquire("k")
            with lock:
                times.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(times) == 12
    assert max_in_window(times, 0.1) <= 3


def test_limiters_validate_arguments(tmp_path):
    with pytest.raises(ValueError):
        LocalRateLimiter(0)
    with pytest.raises(ValueError):
        FileRateLimiter(tmp_path, 3, per=0)


def test_file_limiter_with_a_fake_clock_keeps_keys_off_disk(tmp_path):
    clock = FakeClock()
    limiter = FileRateLimiter(
        tmp_path / "rl", 2, per=1.0, margin=0.05, clock=clock, sleep=clock.sleep
    )
    for _ in range(5):
        limiter.acquire("3f2a9c1d0e4b5a67")
    assert clock.now == pytest.approx(1000.0 + 2 * 1.05)
    files = list((tmp_path / "rl").iterdir())
    assert len(files) == 1
    assert "3f2a9c1d0e4b5a67" not in files[0].name
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    lines = files[0].read_text().split()
    assert 1 <= len(lines) <= 2  # at most the last `rate` timestamps are kept


def test_file_limiter_ignores_a_torn_file(tmp_path):
    clock = FakeClock()
    limiter = FileRateLimiter(tmp_path, 2, clock=clock, sleep=clock.sleep)
    limiter.path_for("k").write_text("garbage\n1000.0x\n")
    limiter.acquire("k")
    assert clock.sleeps == []


def _file_worker(
    directory: str, rate: int, per: float, margin: float, calls: int, out: str, start_at: float
) -> None:
    limiter = FileRateLimiter(directory, rate, per=per, margin=margin)
    delay = start_at - time.time()
    if delay > 0:
        time.sleep(delay)
    stamps = []
    for _ in range(calls):
        limiter.acquire("shared-key")
        stamps.append(time.time())
    Path(out).write_text("\n".join(f"{t:.6f}" for t in stamps))


def test_file_limiter_across_two_processes(tmp_path):
    rate, per, margin, calls = 3, 0.2, 0.05, 9
    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 1.0  # both start together, after the interpreters are up
    outputs = [tmp_path / f"out-{i}.txt" for i in range(2)]
    processes = [
        context.Process(
            target=_file_worker,
            args=(str(tmp_path / "rl"), rate, per, margin, calls, str(out), start_at),
        )
        for out in outputs
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    times = [float(line) for out in outputs for line in out.read_text().split()]
    assert len(times) == 2 * calls
    # Timestamps are taken just after acquire; the margin absorbs that small delay.
    assert max_in_window(times, per) <= rate
    # And the limiter did not serialise more than it had to.
    assert max(times) - min(times) < (2 * calls / rate) * (per + margin) + 1.0


def _redis_client():
    try:
        import redis
    except ImportError:
        return None
    client = redis.Redis(
        host="127.0.0.1", port=6379, db=15, socket_connect_timeout=0.3, socket_timeout=2
    )
    try:
        client.ping()
    except Exception:
        return None
    return client


def test_redis_limiter():
    client = _redis_client()
    if client is None:
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    prefix = f"test-ratelimit-{uuid.uuid4().hex}:"
    try:
        limiter = RedisRateLimiter(client, 3, per=0.2, margin=0.05, prefix=prefix)
        other = RedisRateLimiter(client, 3, per=0.2, margin=0.05, prefix=prefix)  # another "host"
        times = []
        for i in range(10):
            (limiter if i % 2 else other).acquire("k")
            times.append(time.time())
        assert max_in_window(times, 0.2) <= 3
        assert max(times) - min(times) >= 0.5  # ten calls at three per 0.25 s need three waits
        ttl = client.pttl(prefix + "k")
        assert 0 < ttl <= 1250

        # A restamped call counts from its answer: the next call waits for it.
        limiter = RedisRateLimiter(client, 1, per=0.2, margin=0.0, prefix=prefix)
        stamp = limiter.acquire("r")
        time.sleep(0.15)
        limiter.restamp("r", stamp)
        restamped = time.time()
        limiter.acquire("r")
        assert time.time() - restamped >= 0.19
    finally:
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_a_limited_wait_gives_up_with_the_wait_and_counts_nothing():
    from social_sync.clients.ratelimit import RateWindowClosed

    clock = FakeClock()
    limiter = LocalRateLimiter(2, per=1.0, margin=0.0, clock=clock, sleep=clock.sleep)
    limiter.acquire("k")
    limiter.acquire("k")
    with pytest.raises(RateWindowClosed) as closed:
        limiter.acquire("k", max_wait=0.5)
    assert closed.value.wait == pytest.approx(1.0)
    assert clock.sleeps == []  # it did not sleep
    assert limiter.acquire("k", max_wait=1.0) == pytest.approx(1001.0)  # a long enough wait passes
