"""Every write to chat, and the events that leave through the channel layer.

Consumers, views, commands and the demo call these; nothing else saves chat's models.
Broadcasts are scheduled with `transaction.on_commit`: a message is stored before anyone
hears of it, and a rolled-back one is never heard of.
"""

import logging
import uuid
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chat import limits, permissions, presence, protocol
from chat.models import (
    MAX_BODY,
    MAX_CLIENT_ID,
    Message,
    ModerationAction,
    Mute,
    ReadMarker,
    Room,
    RoomKind,
)
from forums.models import Category
from network.markdown import render_markdown_lite
from profiles.models import User
from profiles.permissions import is_blocked_between, is_member

logger = logging.getLogger(__name__)

MAX_MUTE_MINUTES = 60 * 24 * 30
MAX_SLOW_MODE_SECONDS = 60 * 60
TYPING_WINDOW = 3.0  # seconds between typing frames from one room in large-room mode


def _group_send(group: str, event: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, event)
    except Exception:  # the layer is down: the row is stored and `sync` delivers it later
        logger.warning("chat: could not send %s to %s", event.get("type"), group, exc_info=True)


def _broadcast(room_id: int, event: dict) -> None:
    _group_send(protocol.room_group(room_id), event)


def _clean_body(body: str) -> str:
    if not isinstance(body, str) or not body.strip():
        raise ValidationError(_("Write a message first."), code="invalid")
    if len(body) > MAX_BODY:
        raise ValidationError(
            _("That message is too long: at most %(max)d characters.") % {"max": MAX_BODY},
            code="too_long",
        )
    return body.strip()


def new_client_id() -> str:
    """A client id for a form rendered by the server (the page without JavaScript)."""
    return uuid.uuid4().hex


@transaction.atomic
def post_message(
    *, room: Room, author: User, body: str, client_id: str, entry_checked: bool = False
) -> tuple[Message, bool]:
    """Store a message; broadcast it to the room once the transaction commits.

    A retry with the same (room, author, client_id) returns the stored copy, created=False,
    and spends no allowance. Refusals: PermissionDenied (not allowed here, muted);
    ValidationError with code invalid, too_long, closed or rate_limited.

    `entry_checked`: the caller (a live room socket) checked `can_enter` when it opened and
    re-checks it whenever access may have changed, so it is not read again per message.
    """
    if not entry_checked and not permissions.can_enter(author, room):
        raise PermissionDenied(_("You cannot post in this room."))
    if not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID:
        raise ValidationError(
            _("client_id must be a string of 1 to %(max)d characters.") % {"max": MAX_CLIENT_ID},
            code="invalid",
        )
    body = _clean_body(body)
    # The room's row lock orders writers: ids then increase in commit order within a room,
    # so a client that synced up to id N never misses a message that commits later below N.
    # One query: the locked room with this retry's stored copy, the author's mute and, under
    # slow mode, their latest post in the window (moderation is read only when it matters).
    locked = (
        Room.objects.select_for_update(of=("self",))
        .annotate(**permissions.posting_state(author, client_id=client_id))
        .get(pk=room.pk)
    )
    if locked.retried_id is not None:
        existing = Message.objects.select_related("author", "room").get(pk=locked.retried_id)
        return existing, False
    moderating: bool | None = None

    def exempt() -> bool:
        nonlocal moderating
        if moderating is None:
            moderating = permissions.can_moderate(author, locked)
        return moderating

    if not locked.is_open and not exempt():
        raise ValidationError(_("This room is closed."), code="closed")
    if locked.muted_until is not None and not exempt():
        until = formats.date_format(timezone.localtime(locked.muted_until), "DATETIME_FORMAT")
        raise PermissionDenied(_("You are muted in this room until %(until)s.") % {"until": until})
    if (
        locked.slow_mode_seconds
        and locked.last_post_at is not None
        and locked.last_post_at > timezone.now() - timedelta(seconds=locked.slow_mode_seconds)
        and not exempt()
    ):
        raise ValidationError(
            _("Slow mode: one message every %(seconds)d seconds.")
            % {"seconds": locked.slow_mode_seconds},
            code="rate_limited",
        )
    if not limits.allow_message(user_id=author.pk):
        raise ValidationError(
            _("You are sending messages too quickly. Wait a moment."), code="rate_limited"
        )
    message = Message.objects.create(
        room=locked,
        author=author,
        body=body,
        body_html=render_markdown_lite(body),
        client_id=client_id,
        previous_id=locked.last_message_id,
    )
    Room.objects.filter(pk=locked.pk).update(last_message_id=message.pk)
    room.last_message_id = message.pk
    event = protocol.frame_event(protocol.message_frame(message), message_id=message.pk)
    transaction.on_commit(lambda: _broadcast(locked.pk, event))
    return message, True


def _changeable_message(*, room: Room, message_id: int, actor: User) -> Message:
    message = (
        Message.objects.select_related("author", "room")
        .filter(room=room, pk=message_id, deleted_at__isnull=True)
        .first()
    )
    if message is None or not permissions.can_enter(actor, room):
        raise ValidationError(_("There is no such message."), code="not_found")
    if not permissions.can_change_message(actor, message):
        raise PermissionDenied(_("You can only change your own messages."))
    return message


@transaction.atomic
def edit_message(*, room: Room, message_id: int, editor: User, body: str) -> Message:
    """Replace a message's text (its author, or a moderator) and broadcast `edited`."""
    message = _changeable_message(room=room, message_id=message_id, actor=editor)
    message.body = _clean_body(body)
    message.body_html = render_markdown_lite(message.body)
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "body_html", "edited_at"])
    event = protocol.frame_event(protocol.edited_frame(message))
    transaction.on_commit(lambda: _broadcast(room.pk, event))
    return message


@transaction.atomic
def delete_message(*, room: Room, message_id: int, actor: User) -> Message:
    """Remove a message's text for everyone and broadcast `deleted`.

    A moderator deleting someone else's message is logged with the text, for review.
    """
    message = _changeable_message(room=room, message_id=message_id, actor=actor)
    if message.author_id != actor.pk:
        ModerationAction.objects.create(
            room=room,
            moderator=actor,
            kind=ModerationAction.Kind.DELETE,
            target=message.author,
            message=message,
            detail=message.body,
        )
    message.body = ""
    message.body_html = ""
    message.deleted_at = timezone.now()
    message.save(update_fields=["body", "body_html", "deleted_at"])
    event = protocol.frame_event(protocol.deleted_frame(message))
    transaction.on_commit(lambda: _broadcast(room.pk, event))
    return message


def _require_moderator(moderator: User, room: Room) -> None:
    if not permissions.can_moderate(moderator, room):
        raise PermissionDenied(_("Only moderators can do that."))


@transaction.atomic
def mute_member(*, room: Room, moderator: User, member: User, minutes: int) -> Mute:
    """Keep a member from posting in the room for `minutes`; they can still read."""
    _require_moderator(moderator, room)
    if not 0 < minutes <= MAX_MUTE_MINUTES:
        raise ValidationError(_("Choose a period between 1 minute and 30 days."), code="invalid")
    if member.pk == moderator.pk:
        raise ValidationError(_("You cannot mute yourself."), code="invalid")
    mute, _created = Mute.objects.update_or_create(
        room=room,
        user=member,
        defaults={"until": timezone.now() + timedelta(minutes=minutes), "created_by": moderator},
    )
    ModerationAction.objects.create(
        room=room,
        moderator=moderator,
        kind=ModerationAction.Kind.MUTE,
        target=member,
        detail=_("%(minutes)d minutes") % {"minutes": minutes},
    )
    return mute


@transaction.atomic
def unmute_member(*, room: Room, moderator: User, member: User) -> None:
    _require_moderator(moderator, room)
    deleted, _rows = Mute.objects.filter(room=room, user=member).delete()
    if deleted:
        ModerationAction.objects.create(
            room=room, moderator=moderator, kind=ModerationAction.Kind.UNMUTE, target=member
        )


def _broadcast_room_state(room: Room) -> None:
    state = protocol.room_state_frame(room)
    event = protocol.frame_event(state, room_state=state)
    transaction.on_commit(lambda: _broadcast(room.pk, event))


@transaction.atomic
def set_slow_mode(*, room: Room, moderator: User, seconds: int) -> Room:
    """Each member (moderators aside) may post once per `seconds`; 0 turns it off."""
    _require_moderator(moderator, room)
    if not 0 <= seconds <= MAX_SLOW_MODE_SECONDS:
        raise ValidationError(_("Choose between 0 seconds and one hour."), code="invalid")
    room.slow_mode_seconds = seconds
    room.save(update_fields=["slow_mode_seconds"])
    ModerationAction.objects.create(
        room=room,
        moderator=moderator,
        kind=ModerationAction.Kind.SLOW_MODE,
        detail=_("%(seconds)d seconds") % {"seconds": seconds},
    )
    _broadcast_room_state(room)
    return room


@transaction.atomic
def set_room_open(*, room: Room, moderator: User, is_open: bool) -> Room:
    """Close a room (members keep reading, only moderators post) or open it again."""
    _require_moderator(moderator, room)
    if room.is_open == is_open:
        return room
    room.is_open = is_open
    room.save(update_fields=["is_open"])
    kind = ModerationAction.Kind.OPEN if is_open else ModerationAction.Kind.CLOSE
    ModerationAction.objects.create(room=room, moderator=moderator, kind=kind)
    _broadcast_room_state(room)
    return room


@transaction.atomic
def open_direct_room(*, member: User, other: User) -> Room:
    """The direct-message room of two members, made on first use.

    Refused (PermissionDenied) if either blocked the other; ValidationError(not_found) when
    the other is not a member.
    """
    if not is_member(member):
        raise PermissionDenied
    if not is_member(other):
        raise ValidationError(_("There is no such member."), code="not_found")
    if other.pk == member.pk:
        raise ValidationError(_("You cannot message yourself."), code="invalid")
    if is_blocked_between(member, other):
        raise PermissionDenied(_("You cannot message this member."))
    low, high = sorted([member.pk, other.pk])
    room, created = Room.objects.get_or_create(
        direct_key=f"{low}-{high}",
        defaults={
            "kind": RoomKind.DIRECT,
            "slug": f"dm-{uuid.uuid4().hex[:16]}",
            "name": f"{member.name} · {other.name}",
        },
    )
    if created:
        room.participants.add(member, other)
    return room


def ensure_category_rooms() -> int:
    """A room for every category with a live room; return how many were made."""
    missing = Category.objects.filter(has_live_room=True, live_room__isnull=True)
    taken = set(Room.objects.values_list("slug", flat=True))
    rooms = []
    for category in missing:
        slug = category.slug[:110]
        while slug in taken:
            slug = f"{category.slug[:100]}-{uuid.uuid4().hex[:6]}"
        taken.add(slug)
        rooms.append(Room(slug=slug, name=category.name, kind=RoomKind.CATEGORY, category=category))
    Room.objects.bulk_create(rooms, ignore_conflicts=True)
    return len(rooms)


@transaction.atomic
def create_workshop_room(*, name: str, slug: str = "", is_open: bool = False) -> Room:
    """A room for a workshop; facilitators open it when the session starts."""
    base = slugify(slug or name)[:100] or "workshop"
    slug = base
    while Room.objects.filter(slug=slug).exists():
        slug = f"{base}-{uuid.uuid4().hex[:6]}"
    return Room.objects.create(slug=slug, name=name, kind=RoomKind.WORKSHOP, is_open=is_open)


def mark_read(*, room: Room, member: User, last_id: int | None) -> None:
    """Move the member's read marker forward (never back) to `last_id`."""
    if not last_id:
        return
    marker, created = ReadMarker.objects.get_or_create(
        room=room, user=member, defaults={"last_read_id": last_id}
    )
    if not created and marker.last_read_id < last_id:
        ReadMarker.objects.filter(pk=marker.pk, last_read_id__lt=last_id).update(
            last_read_id=last_id
        )


async def announce_typing(*, room: Room, member: User, hidden: bool, large: bool) -> None:
    """Tell the room someone is typing; never stored.

    In a large room one "several people are typing" goes out per room every few seconds,
    whoever types (across processes), instead of one frame per typist to every socket.
    """
    if large:
        if not await presence.store().claim(f"typing:{room.pk}", TYPING_WINDOW):
            return
        frame = {"type": "typing", "room": room.slug, "user": None, "several": True}
        event = protocol.event("chat.typing", user_id=0, hidden=False, text=protocol.encode(frame))
    else:
        frame = {"type": "typing", "room": room.slug, "user": protocol.member(member)}
        event = protocol.event(
            "chat.typing", user_id=member.pk, hidden=hidden, text=protocol.encode(frame)
        )
    await get_channel_layer().group_send(protocol.room_group(room.pk), event)


def recheck_member_sockets(*, user_ids: list[int]) -> None:
    """Make every open chat socket of these members re-check its access once committed.

    Called by whatever may take access away: logout, suspension, losing approval, a block,
    removal from a private room. Each socket closes (or stops relaying) if access is gone.
    Room sockets hear it through their process (one event for all these members); the
    member's notification and workshop sockets through the member's own group.
    """
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return

    def send() -> None:
        _group_send(protocol.ACCESS_GROUP, protocol.event("access.recheck", user_ids=user_ids))
        for user_id in user_ids:
            _group_send(protocol.member_group(user_id), protocol.event("access.recheck"))

    transaction.on_commit(send)


def end_session_sockets(*, user_id: int, session_key: str | None) -> None:
    """Close the chat sockets opened under a session that just ended (logout).

    The session is still in the store while the logout signal runs, so the sockets are told
    which session ended rather than left to look it up.
    """

    def send() -> None:
        ended = session_key or ""
        rooms = protocol.event("access.recheck", user_ids=[user_id], ended_session=ended)
        _group_send(protocol.ACCESS_GROUP, rooms)
        _group_send(
            protocol.member_group(user_id), protocol.event("access.recheck", ended_session=ended)
        )

    transaction.on_commit(send)
