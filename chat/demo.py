"""Demo chat for `seed_demo`: live rooms with history and a direct conversation.

Reproducible from the `rng` passed in, idempotent (messages carry client ids demo-<n>, so a
second run adds only what is missing), and bulk-inserted: thousands take a moment.
"""

import random
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chat import services
from chat.models import Message, Room, RoomKind
from forums.models import Category
from network.markdown import render_markdown_lite
from profiles.models import MembershipStatus, User

# Demo categories that get a live room (staff switch it on per category in the admin).
LIVE_CATEGORY_COUNT = 3
LINES = [
    "Has anyone started on the self-assessment questionnaire for **Article 5**?",
    "Our coalition is drafting joint inputs for the country review: happy to share the outline.",
    "The constructive dialogue guidance is here: https://www.unodc.org/unodc/en/organized-crime/",
    "Could someone explain how the *review cluster* timetable works for the Firearms Protocol?",
    "We held a national consultation last week; notes to follow in the forum.",
    "Reminder: the workshop on the Smuggling of Migrants Protocol starts Thursday at 14:00 UTC.",
    "Thanks, that helps a lot.",
    "Which focal point did you contact at the ministry?",
    "We mapped victim-support services in three regions; the data could inform the review.",
    "Is the questionnaire available in French and Spanish yet?",
    "+1 to coordinating a joint submission from academia and NGOs.",
    "`Article 24` (witness protection) is where we have the most evidence to offer.",
]


@transaction.atomic
def seed_chat(*, messages: int, rng: random.Random, progress: Callable[[int], None]) -> int:
    """Live rooms for a few categories, a direct room for the demo logins, and `messages`
    messages spread over them; return how many messages were added."""
    live = list(Category.objects.order_by("order", "name")[:LIVE_CATEGORY_COUNT])
    Category.objects.filter(pk__in=[c.pk for c in live]).update(has_live_room=True)
    services.ensure_category_rooms()
    rooms = list(Room.objects.filter(kind=RoomKind.CATEGORY, category__in=live).order_by("pk"))
    member = User.objects.filter(username="demo").first()
    moderator = User.objects.filter(username="moderator").first()
    if member and moderator:
        rooms.append(services.open_direct_room(member=member, other=moderator))
    authors = list(
        User.objects.filter(status=MembershipStatus.APPROVED, is_active=True).order_by("pk")[:60]
    )
    if not rooms or not authors:
        return 0
    existing = set(
        Message.objects.filter(client_id__startswith="demo-").values_list("client_id", flat=True)
    )
    start = timezone.now() - timedelta(days=3)
    by_room: dict[int, list[Message]] = {room.pk: [] for room in rooms}
    for number in range(messages):
        # Draw for every message, new or not, so the same seed gives the same history.
        room = rooms[number % len(rooms)]
        author = rng.choice([member, moderator] if room.is_direct else authors)
        body = rng.choice(LINES)
        client_id = f"demo-{number}"
        if client_id in existing:
            continue
        by_room[room.pk].append(
            Message(
                room=room,
                author=author,
                body=body,
                body_html=render_markdown_lite(body),
                client_id=client_id,
                created_at=start + timedelta(minutes=3 * number),
            )
        )
    added = 0
    for room in rooms:
        batch = by_room[room.pk]
        for offset in range(0, len(batch), 1000):
            Message.objects.bulk_create(batch[offset : offset + 1000])
            progress(len(batch[offset : offset + 1000]))
        added += len(batch)
        _relink(room)
    return added


def _relink(room: Room) -> None:
    """Chain `previous_id` through the room and record its last message, as posting does."""
    previous = None
    changed = []
    for message in Message.objects.filter(room=room).order_by("pk").only("pk", "previous_id"):
        if message.previous_id != previous:
            message.previous_id = previous
            changed.append(message)
        previous = message.pk
    Message.objects.bulk_update(changed, ["previous_id"], batch_size=1000)
    Room.objects.filter(pk=room.pk).update(last_message_id=previous)
