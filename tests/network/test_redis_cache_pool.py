import threading

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.redis


def cache_pool_in_new_thread() -> object:
    found = []

    def work() -> None:
        cache = caches["default"]  # a new cache object, as each Daphne request thread gets
        cache.set("pool-check", 1)
        found.append(cache._cache._get_connection_pool(write=True))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return found[0]


def test_request_threads_share_one_redis_connection_pool():
    assert cache_pool_in_new_thread() is cache_pool_in_new_thread()
