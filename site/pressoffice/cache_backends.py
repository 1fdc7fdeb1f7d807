"""Django's Redis cache, keeping one Redis client per connection pool.

Django 5.2's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` for every cache
operation; redis-py's constructor assembles its response-callback tables each time, which cost a
third of the CPU of a page served from the cache (docs/benchmarks.md). A ``redis.Redis`` is
thread-safe and only borrows connections from its pool, so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient
