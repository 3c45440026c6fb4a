"""Checks behind /healthz: can this process reach what it depends on?"""

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


async def _round_trip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "health.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "health.ping":
        raise RuntimeError("channel layer returned another message")


def check_channel_layer() -> None:
    async_to_sync(_round_trip)()


CHECKS = {
    "database": check_database,
    "channel_layer": check_channel_layer,
    "cache": check_cache,
}


def run_checks() -> dict[str, str]:
    """{"database": "ok", ...}; a failing part reads "down" instead of "ok"."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure means down: the probe wants a verdict, not a trace
            results[name] = "down"
        else:
            results[name] = "ok"
    return results
