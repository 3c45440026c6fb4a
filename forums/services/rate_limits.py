"""Posting limits: how many posts and images a member may send in a while."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles.models import User
from profiles.permissions import is_moderator

# Posting limits: (posts, seconds). New members get a stricter one until they have been
# approved for NEW_MEMBER_DAYS: it stops a fresh account from flooding before anyone notices.
POST_LIMIT = (8, 300)
NEW_MEMBER_POST_LIMIT = (3, 600)
NEW_MEMBER_DAYS = 3
IMAGE_LIMIT = (20, 3600)


def _limits_for(member: User) -> tuple[int, int]:
    since = member.decided_at or member.date_joined
    if since and timezone.now() - since < timedelta(days=NEW_MEMBER_DAYS):
        return getattr(settings, "FORUMS_NEW_MEMBER_POST_LIMIT", NEW_MEMBER_POST_LIMIT)
    return getattr(settings, "FORUMS_POST_LIMIT", POST_LIMIT)


def check_rate(member: User, *, what: str = "post") -> None:
    """Count one post (or image) against the member's limit, shared across processes through
    the cache; ValidationError(code="rate_limited") past it."""
    if is_moderator(member):
        return
    if what == "image":
        limit, window = getattr(settings, "FORUMS_IMAGE_LIMIT", IMAGE_LIMIT)
    else:
        limit, window = _limits_for(member)
    key = f"forums:rate:{what}:{member.pk}:{int(time.time() // window)}"
    if cache.add(key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
    if count > limit:
        raise ValidationError(
            _("You are posting too fast. Please wait a few minutes and try again."),
            code="rate_limited",
        )
