"""Caching helpers: Django's Redis cache with one connection pool per process, and small
values kept in the process itself (KeptInProcess).

Django builds a cache object per thread (and per async context), and each builds its own
Redis connection pool; Daphne runs every request in a new thread, so every request opened a
new Redis connection. redis-py's pools are thread-safe, so one per server per process serves
every request.
"""

import threading
import time

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


class KeptInProcess:
    """Values built once per key and kept in this process for `seconds`.

    For small, hot values (a form's choices, rendered <option> lists) where even a shared
    cache round trip costs more than the page can spare. A key never built counts as
    expired whatever the clock says: time.monotonic() starts near zero at boot, so "built
    at 0" would look fresh for the machine's first minutes.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._values: dict = {}

    def get(self, key, build):
        now = time.monotonic()
        entry = self._values.get(key)
        if entry is None or now - entry[0] > self.seconds:
            entry = (now, build())
            self._values[key] = entry
        return entry[1]

    def clear(self) -> None:
        self._values.clear()
