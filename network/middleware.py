"""Request-wide context that depends on who is asking."""

import zoneinfo
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

ZONE_CACHE_SECONDS = 300


def zone_cache_key(user_id: int) -> str:
    return f"member-zone:{user_id}"


def forget_member_zone(user_id: int) -> None:
    """Call when a member changes their time zone, so the next page uses the new one."""
    cache.delete(zone_cache_key(user_id))


def _member_zone_name(user) -> str:
    key = zone_cache_key(user.pk)
    name = cache.get(key)
    if name is None:
        # Cached so that pages cost no extra SQL query for it.
        from profiles.models import Profile

        name = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
        name = name or "UTC"
        cache.set(key, name, ZONE_CACHE_SECONDS)
    return name


class MemberTimeZoneMiddleware:
    """Dates and times on every page in the signed-in member's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(_member_zone_name(user)))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
