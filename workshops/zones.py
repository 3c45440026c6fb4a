"""Which time zone a member sees times in, and workshop times written for a reader."""

import zoneinfo
from datetime import datetime

from django.utils import formats, timezone

UTC = zoneinfo.ZoneInfo("UTC")


def member_zone(user) -> zoneinfo.ZoneInfo:
    """The zone a member chose on their profile; UTC for visitors or an unknown zone."""
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    name = getattr(profile, "time_zone", "") or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def format_in(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "14 October 2026, 15:00" in `zone`, in the active language's format."""
    return formats.date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")
