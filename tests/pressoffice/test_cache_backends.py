"""The Redis cache keeps one client per connection pool and works as Django's does."""

import pytest

from pressoffice.cache_backends import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache-backends"})
    cache.clear()
    yield cache
    cache.clear()


def test_operations_share_one_client(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("any-key") is client


def test_values_round_trip(redis_cache):
    redis_cache.set("generation", 41, None)
    assert redis_cache.incr("generation") == 42
    redis_cache.set("page", (42, 200, "OK", [("Content-Type", "text/html")], b"<html>"), 60)
    assert redis_cache.get_many(["generation", "page", "absent"]) == {
        "generation": 42,
        "page": (42, 200, "OK", [("Content-Type", "text/html")], b"<html>"),
    }
    assert redis_cache.add("generation", 1) is False
    redis_cache.delete("page")
    assert redis_cache.get("page") is None
