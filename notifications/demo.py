"""Demo notifications, so the demo member sees the badge and the list on first sign-in."""

import random

from django.urls import reverse

from notifications.models import EmailStatus, Kind, Notification
from profiles.models import MembershipStatus, User

DEMO_TEXTS = [
    (Kind.CONNECTION_REQUEST, "{name} would like to connect with you.", "profiles:member-list"),
    (Kind.MENTION, "{name} mentioned you in a discussion.", "forums:category-list"),
    (Kind.REPLY, "{name} replied in a topic you watch.", "forums:category-list"),
    (Kind.NEW_TOPIC, "{name} started a topic in a category you watch.", "forums:category-list"),
    (Kind.DIRECT_MESSAGE, "{name} sent you a message.", "chat:room-list"),
    (Kind.CONNECTION_ACCEPTED, "{name} accepted your request to connect.", "profiles:member-list"),
]


def seed_notifications(*, member: User, rng: random.Random) -> int:
    """A few notifications for `member` from other demo members; idempotent (keyed), never
    emailed. Returns how many were new."""
    actors = list(
        User.objects.filter(status=MembershipStatus.APPROVED)
        .exclude(pk=member.pk)
        .order_by("pk")[:50]
    )
    if not actors:
        return 0
    before = Notification.objects.filter(recipient=member, once_key__startswith="demo:").count()
    rows = []
    for number, (kind, text, url_name) in enumerate(DEMO_TEXTS):
        actor = rng.choice(actors)
        rows.append(
            Notification(
                recipient=member,
                actor=actor,
                kind=kind,
                text=text.format(name=actor.name),
                url=reverse(url_name),
                once_key=f"demo:{number}",
                email_status=EmailStatus.NONE,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return (
        Notification.objects.filter(recipient=member, once_key__startswith="demo:").count() - before
    )
