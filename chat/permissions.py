"""Who may see, enter, post in and moderate a chat room: chat's only access rules.

A room follows the policy of what it belongs to: a category room its forum category, a
workshop room its workshop (through `can_enter_workshop_room`, the one place the workshops
app extends), a direct room its two members unless either blocked the other.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from chat.models import Message, Mute, Room, RoomKind
from forums.models import Category
from forums.permissions import can_read, visible_categories
from profiles.permissions import (
    AnyUser,
    is_blocked_between,
    is_facilitator,
    is_member,
    is_moderator,
)
from profiles.privacy import viewer_for


def _is_participant(user: AnyUser, room: Room) -> bool:
    return room.participants.filter(pk=user.pk).exists()


def can_enter_workshop_room(user: AnyUser | None, room: Room) -> bool:
    """Workshop rooms follow their workshop (workshops.permissions.can_enter_room): its
    facilitators and moderators at any time, its participants while the room is open.

    A workshop room with no workshop: facilitators, and the members let in.
    """
    if not is_member(user):
        return False
    from workshops.permissions import can_enter_room  # workshops imports chat

    workshop = getattr(room, "workshop", None)
    if workshop is not None:
        return can_enter_room(user, workshop, room_is_open=room.is_open)
    return is_facilitator(user) or _is_participant(user, room)


def workshop_rooms_filter(viewer: AnyUser) -> Q:
    """The workshop rooms a member may enter, as a filter: kept in step with the function above."""
    from workshops.permissions import enterable_rooms_q

    unattached = Q(workshop__isnull=True)
    if not is_facilitator(viewer):
        unattached &= Q(participants=viewer)
    return Q(kind=RoomKind.WORKSHOP) & (enterable_rooms_q(viewer) | unattached)


def can_see(user: AnyUser | None, room: Room) -> bool:
    """May this member know the room exists? If not, it answers as missing (404, 4404)."""
    if not is_member(user):
        return False
    if room.kind == RoomKind.CATEGORY:
        category = room.category
        return bool(category and category.has_live_room and can_read(user, category))
    if room.kind == RoomKind.DIRECT:
        return _is_participant(user, room)
    return True  # workshops are listed to every member; entering is another matter


def can_enter(user: AnyUser | None, room: Room) -> bool:
    """May this member read the room and be present in it?"""
    if not can_see(user, room):
        return False
    if room.kind == RoomKind.DIRECT:
        others = [p for p in room.participants.all() if p.pk != user.pk]
        return not any(is_blocked_between(user, other) for other in others)
    if room.kind == RoomKind.WORKSHOP:
        return can_enter_workshop_room(user, room)
    return True


def can_moderate(user: AnyUser | None, room: Room) -> bool:
    """Delete any message, mute, slow mode, close: moderators; facilitators in workshops."""
    if is_moderator(user):
        return True
    if room.kind != RoomKind.WORKSHOP:
        return False
    workshop = getattr(room, "workshop", None)
    if workshop is not None:
        from workshops.permissions import can_manage  # workshops imports chat

        # Only this workshop's facilitators: one attending another's workshop does not moderate.
        return can_manage(user, workshop)
    return is_facilitator(user) and can_enter(user, room)


def can_change_message(user: AnyUser | None, message: Message) -> bool:
    """Edit or delete: the author, or whoever moderates the room."""
    if not is_member(user):
        return False
    return message.author_id == user.pk or can_moderate(user, message.room)


def active_mute(user: AnyUser, room: Room) -> Mute | None:
    return Mute.objects.filter(room=room, user=user, until__gt=timezone.now()).first()


def posting_state(user: AnyUser, *, client_id: str) -> dict[str, Subquery]:
    """Annotations for a room, read with it in one query when `user` posts:
    `retried_id` (their message with this client id, if any), `muted_until` (an active
    mute, as `active_mute`) and `last_post_at` (their latest message there, for slow mode)."""
    mine = Message.objects.filter(room=OuterRef("pk"), author=user)
    return {
        "retried_id": Subquery(mine.filter(client_id=client_id).values("pk")[:1]),
        "muted_until": Subquery(
            Mute.objects.filter(room=OuterRef("pk"), user=user, until__gt=timezone.now()).values(
                "until"
            )[:1]
        ),
        "last_post_at": Subquery(mine.order_by("-id").values("created_at")[:1]),
    }


def visible_rooms(viewer: AnyUser | None, queryset: QuerySet[Room]) -> QuerySet[Room]:
    """The rooms a member may enter: readable category rooms, workshop rooms, own DMs."""
    if not is_member(viewer):
        return queryset.none()
    categories = visible_categories(viewer, Category.objects.filter(has_live_room=True))
    direct = Q(kind=RoomKind.DIRECT, participants=viewer)
    return (
        queryset.filter(
            Q(kind=RoomKind.CATEGORY, category__in=categories.values("pk"))
            | workshop_rooms_filter(viewer)
            | direct
        )
        # A direct room with someone either member blocked disappears from the list.
        .exclude(kind=RoomKind.DIRECT, participants__blocks_made__blocked=viewer)
        .exclude(kind=RoomKind.DIRECT, participants__blocks_received__blocker=viewer)
        .distinct()
    )


_NONE: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class PresenceSight:
    """Whom a member in a room sees online and typing: nobody across a block either way, and
    a member hidden from the directory only if they are connections (profiles.privacy's rule
    for lists). A socket keeps one for its whole life, so it holds only the two id sets."""

    member_id: int
    connected_ids: frozenset[int]
    unlisted_ids: frozenset[int]

    def may_see(self, member_id: int, hidden: bool) -> bool:
        if member_id == self.member_id:
            return True
        if member_id in self.unlisted_ids:
            return False
        return not hidden or member_id in self.connected_ids

    def visible(self, members: list[dict]) -> list[dict]:
        return [m for m in members if self.may_see(m["id"], m["hidden"])]

    def sees_differently(self, members: list[dict]) -> bool:
        """Whether this member's list differs from the one for everyone (presence.public):
        someone blocked either way, or a hidden member they may see."""
        return any(
            m["id"] in self.unlisted_ids or (m["hidden"] and self.may_see(m["id"], True))
            for m in members
        )


def presence_sight(user: AnyUser) -> PresenceSight:
    """The member's sight, their connections and blocks read now (one query). The many
    members with no connections or blocks share one empty set."""
    viewer = viewer_for(user)
    return PresenceSight(
        member_id=user.pk,
        connected_ids=viewer.connected_ids or _NONE,
        unlisted_ids=viewer.unlisted_ids or _NONE,
    )
