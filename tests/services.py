"""Which real services this run has, and what to do when a test needs one that is missing.

Tests needing PostgreSQL or Redis carry a marker; without the service they skip with the
reason, except under REQUIRE_SERVICES=1 (CI), where a missing service fails the test.
"""

import os

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def redis_reachable() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def missing_service(item: pytest.Item) -> str | None:
    if item.get_closest_marker("postgres") and not settings.USES_POSTGRES:
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not redis_reachable():
        return "needs Redis: set REDIS_URL=redis://... to a running server"
    if item.get_closest_marker("browser") and not os.path.exists("/usr/bin/chromium"):
        return "needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
    return None


def require_or_skip(item: pytest.Item) -> None:
    reason = missing_service(item)
    if reason is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
    pytest.skip(reason)
