"""Reads about notifications, shared by views, the socket, the badge and the sending command."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from notifications.models import DEFAULT_DELIVERY, EMAIL_KINDS, Delivery, Notification
from profiles.models import User

PAGE_SIZE = 30


@dataclass(frozen=True)
class NotificationPage:
    notifications: list[Notification]
    older_than: int | None  # the `before` key of the next (older) page; None on the last


_UNREAD_COUNT_SQL = (
    f"SELECT COUNT(*) FROM {Notification._meta.db_table} "
    f"WHERE {Notification._meta.get_field('recipient').column} = %s "
    f"AND {Notification._meta.get_field('read_at').column} IS NULL"
)


def unread_count(*, viewer: User) -> int:
    """The viewer's unread notifications. Written out: the badge asks on every member page,
    and building the count with the ORM cost five times what running it does (0.55 ms of
    CPU against 0.1 ms, measured)."""
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_COUNT_SQL, [viewer.pk])
        return cursor.fetchone()[0]


def list_notifications(
    *, viewer: User, before: int | None = None, unread_only: bool = False, size: int = PAGE_SIZE
) -> NotificationPage:
    """The viewer's notifications, newest first, paged by id (`before`), never by OFFSET.

    One query whatever the page: the text is stored whole, nothing else is joined.
    """
    rows = Notification.objects.filter(recipient=viewer).only(
        "id", "kind", "text", "url", "created_at", "read_at"
    )
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if before is not None:
        rows = rows.filter(id__lt=before)
    found = list(rows.order_by("-id")[: size + 1])
    more = len(found) > size
    found = found[:size]
    return NotificationPage(notifications=found, older_than=found[-1].id if more else None)


def get_email_preferences(*, member: User) -> dict[str, str]:
    """{kind: delivery} for every kind a member may get by email, defaults filled in."""
    chosen = dict(member.email_preferences.values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in EMAIL_KINDS}


def get_delivery(*, member: User, kind: str) -> str:
    if kind not in DEFAULT_DELIVERY:
        return Delivery.NEVER
    chosen = member.email_preferences.filter(kind=kind).values_list("delivery", flat=True).first()
    return chosen or DEFAULT_DELIVERY[kind]


def preferred_language(member: User) -> str:
    """The language a member reads emails in: their profile's choice, else the site's."""
    profile = getattr(member, "profile", None)  # a missing profile raises an AttributeError
    language = getattr(profile, "preferred_language", "") or ""
    available = {code for code, _name in settings.LANGUAGES}
    return language if language in available else settings.LANGUAGE_CODE
