"""Django's Redis cache with one connection pool per process.

Django builds a cache object per thread (and per async context), and each builds its own
Redis connection pool; Daphne runs every request in a new thread, so every request opened a
new Redis connection. redis-py's pools are thread-safe, so one per server per process serves
every request.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_POOLS: dict[tuple[tuple[str, ...], str], dict] = {}
_LOCK = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options) -> None:
        super().__init__(servers, **options)
        key = (tuple(servers), repr(sorted(options.items())))
        with _LOCK:
            self._pools = _POOLS.setdefault(key, {})


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
