"""Cached topic rows and what makes them stale.

The topic selector keeps each topic row (with its category) in the cache; the models and the
services call these whenever a topic or any category changes.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

# Cached topic rows carry their category (who may read it): any change to a category makes
# them all stale by moving this generation on.
CATEGORIES_GENERATION_KEY = "forums:categories-generation"


def categories_changed() -> None:
    """Make every cached topic row stale (now, and again once the change is committed)."""

    def bump() -> None:
        try:
            cache.incr(CATEGORIES_GENERATION_KEY)
        except ValueError:
            cache.set(CATEGORIES_GENERATION_KEY, 1, None)

    bump()
    transaction.on_commit(bump)


def topic_cache_key(topic_id: int) -> str:
    return f"forums:topic:{topic_id}"


def forget_topics(topic_ids: Iterable[int]) -> None:
    """Drop cached topic rows: call after any change to a topic (now, and once committed)."""
    keys = [topic_cache_key(topic_id) for topic_id in topic_ids]

    def drop() -> None:
        cache.delete_many(keys)

    drop()
    transaction.on_commit(drop)
