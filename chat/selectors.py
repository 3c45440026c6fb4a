"""Reads of chat shared by pages, sockets and commands; each takes the viewer."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from chat.models import Message, ReadMarker, Room, RoomKind
from chat.permissions import visible_rooms
from chat.protocol import HISTORY_PAGE
from profiles.models import User
from profiles.permissions import AnyUser

PAGE_SIZE = 50  # messages on the room page


def list_rooms(*, viewer: AnyUser) -> list[Room]:
    """The rooms the viewer may enter, with `unread` (messages from others since last read)
    and, for direct rooms, `other` (the member on the other side). Two queries."""
    # Evaluated inside the message subquery below: OuterRef("room") is the message's room.
    last_read = ReadMarker.objects.filter(room=OuterRef("room"), user=viewer)
    last_read = last_read.values("last_read_id")[:1]
    unread = (
        Message.objects.filter(room=OuterRef("pk"), deleted_at__isnull=True)
        .exclude(author=viewer)
        .filter(id__gt=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0)))
        .order_by()
        .values("room")
        .annotate(n=Count("id"))
        .values("n")
    )
    rooms = list(
        visible_rooms(viewer, Room.objects.all())
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .prefetch_related("participants")
        .order_by("kind", "name")
    )
    for room in rooms:
        room.other = None
        if room.kind == RoomKind.DIRECT:
            room.other = next((p for p in room.participants.all() if p.pk != viewer.pk), None)
    return rooms


def get_room(*, slug: str) -> Room | None:
    return Room.objects.select_related("category").filter(slug=slug).first()


@dataclass
class MessagePage:
    messages: list[Message]
    older: int | None  # `before` for the next older page, None at the start of the room


def list_messages(*, viewer: AnyUser, room: Room, before: int | None = None) -> MessagePage:
    """The latest messages (or those before id `before`), oldest first, paged by id."""
    queryset = _live(room)
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    newest_first = list(queryset.order_by("-id")[: PAGE_SIZE + 1])
    has_older = len(newest_first) > PAGE_SIZE
    messages = list(reversed(newest_first[:PAGE_SIZE]))
    return MessagePage(messages=messages, older=messages[0].id if has_older else None)


def messages_after(*, room: Room, after: int, limit: int = HISTORY_PAGE) -> tuple[list, bool]:
    """What a client missed after id `after`, oldest first, and whether more follow."""
    found = list(_live(room).filter(id__gt=after).order_by("id")[: limit + 1])
    return found[:limit], len(found) > limit


def _live(room: Room) -> QuerySet[Message]:
    return Message.objects.filter(room=room, deleted_at__isnull=True).select_related(
        "author", "room"
    )


def last_message_id(*, room: Room) -> int:
    return Room.objects.filter(pk=room.pk).values_list("last_message_id", flat=True).first() or 0


def is_hidden(*, member: User) -> bool:
    """Hidden from the directory: in chat presence only their connections see them."""
    profile = getattr(member, "profile", None)
    return bool(profile and profile.hidden_from_directory)
