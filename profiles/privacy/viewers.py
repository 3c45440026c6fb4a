"""Who is looking (Viewer), read once per request, and the level they see each member at."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from profiles.models import (
    Block,
    Connection,
    User,
    Visibility,
)
from profiles.permissions import is_member, is_moderator

AnyUser = User | AnonymousUser | None


@dataclass(frozen=True)
class Viewer:
    """Who is looking, with their connections and blocks read once per request."""

    user: AnyUser
    id: int | None
    is_member: bool
    is_moderator: bool
    connected_ids: frozenset[int] = field(default_factory=frozenset)
    # Members this viewer blocked, and members who blocked this viewer.
    blocking_ids: frozenset[int] = field(default_factory=frozenset)
    blocked_by_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def unlisted_ids(self) -> frozenset[int]:
        return self.blocking_ids | self.blocked_by_ids


def viewer_for(user: "AnyUser | Viewer") -> Viewer:
    """Read the viewer's connections and blocks (one query; none for visitors)."""
    if isinstance(user, Viewer):
        return user
    if not is_member(user):
        return Viewer(user=user, id=getattr(user, "pk", None), is_member=False, is_moderator=False)
    # One round trip, written out: this runs for every signed-in page that lists members,
    # and the ORM's UNION costs more to build than the query takes.
    sql = (
        f"SELECT from_user_id, to_user_id, 'connection' FROM {Connection._meta.db_table} "
        "WHERE (from_user_id = %s OR to_user_id = %s) AND state = %s "
        f"UNION ALL SELECT blocker_id, blocked_id, 'block' FROM {Block._meta.db_table} "
        "WHERE blocker_id = %s OR blocked_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, Connection.State.ACCEPTED.value, user.pk, user.pk])
        rows = cursor.fetchall()
    connected, blocking, blocked_by = set(), set(), set()
    for first_id, second_id, kind in rows:
        if kind == "connection":
            connected.add(second_id if first_id == user.pk else first_id)
        elif first_id == user.pk:
            blocking.add(second_id)
        else:
            blocked_by.add(first_id)
    return Viewer(
        user=user,
        id=user.pk,
        is_member=True,
        is_moderator=is_moderator(user),
        connected_ids=frozenset(connected),
        blocking_ids=frozenset(blocking),
        blocked_by_ids=frozenset(blocked_by),
    )


# What any member sees of a member who is not their connection. What the directory stores
# for "any member" (DirectoryEntry.members_search, see stored_search_vectors) is cut at this
# level, so it follows this rule.
ANY_MEMBER_LEVEL = Visibility.MEMBERS


def level_for(viewer: Viewer, member_id: int) -> int:
    """The most private visibility level `viewer` may see of `member_id`'s fields."""
    if viewer.id is not None and viewer.id == member_id:
        return Visibility.ONLY_ME
    if not viewer.is_member:
        return Visibility.EVERYONE
    if member_id in viewer.connected_ids and member_id not in viewer.unlisted_ids:
        return Visibility.CONNECTIONS
    return ANY_MEMBER_LEVEL


def sees_more_than_any_member(viewer: Viewer) -> frozenset[int]:
    """Members of whom the member `viewer` may see more than ANY_MEMBER_LEVEL: themselves
    and their connections. Everyone else may be matched on data stored at that level."""
    if not viewer.is_member or viewer.id is None:
        return frozenset()
    return viewer.connected_ids | {viewer.id}
