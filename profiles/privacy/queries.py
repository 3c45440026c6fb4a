"""The same rule for the database: who is listed for a viewer, which fields they may match
and count on, and the level each row is seen at."""

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.lookups import Lookup

from profiles.models import (
    Block,
    Connection,
    MembershipStatus,
    Visibility,
)
from profiles.privacy.viewers import (
    ANY_MEMBER_LEVEL,
    AnyUser,
    Viewer,
    sees_more_than_any_member,
    viewer_for,
)

# The same rule for the database. `prefix` reaches Profile from the queried model: "" when
# querying Profile (or DirectoryEntry, whose columns carry the same names), "profile__" when
# querying User.


def _user_id(prefix: str) -> str:
    return "user_id" if prefix == "" else "pk"


def _user(prefix: str) -> str:
    return "user__" if prefix == "" else ""


# Ids the viewer already read once per request (Viewer) go into the SQL as a literal list:
# no subquery for PostgreSQL to plan and no clause at all when the list is empty (most
# viewers have few or no connections and no blocks). Past this size the subquery is used.
ID_LIST_LIMIT = 500


class _AnyOf(Lookup):
    """`column = ANY(%s)` with the ids as one array parameter (PostgreSQL). An IN list
    prepares, binds and plans every id apart, in several places of each directory query.

    The array is cast to the column's type: psycopg sends small ids as smallint[], and
    PostgreSQL looks a value up in a hash of the array only when both sides are of one type
    (otherwise it walks the array for each row: measured 2 ms of a 20 ms search)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(CAST(%s AS {array_type}[]))", [*params, list(self.rhs)]


def _among(column: str, ids: frozenset[int]) -> Q:
    """Rows whose `column` is one of `ids`."""
    if connection.vendor == "postgresql":
        return Q(_AnyOf(F(column), sorted(ids)))
    return Q(**{f"{column}__in": sorted(ids)})


def connected_ids_q(viewer: Viewer, prefix: str = "") -> Q:
    """Rows whose member is one of the viewer's connections."""
    column = _user_id(prefix)
    if len(viewer.connected_ids) <= ID_LIST_LIMIT:
        return _among(column, viewer.connected_ids)
    accepted = Connection.objects.filter(state=Connection.State.ACCEPTED)
    return Q(**{f"{column}__in": accepted.filter(from_user_id=viewer.id).values("to_user")}) | Q(
        **{f"{column}__in": accepted.filter(to_user_id=viewer.id).values("from_user")}
    )


def statement_shape(viewer: Viewer) -> tuple | None:
    """What of `viewer` the text of a statement built by this module's functions depends on.

    The rest goes in as parameters: the viewer's id as one, and on PostgreSQL each id list
    as one array (_among), whatever its length. None where that does not hold: on another
    database (an IN list has a parameter per id) or where a list is read by a subquery
    (past ID_LIST_LIMIT). A statement may be reused for every viewer of the same shape with
    the values of `stand_in`'s markers replaced (profiles.selectors.statements).
    """
    if connection.vendor != "postgresql":
        return None
    if max(len(sees_more_than_any_member(viewer)), len(viewer.unlisted_ids)) > ID_LIST_LIMIT:
        return None
    return (
        viewer.id is None,
        viewer.is_member,
        viewer.is_moderator,
        bool(viewer.connected_ids),
        bool(viewer.unlisted_ids),
    )


def stand_in(
    viewer: Viewer, *, id_marker: int, connections_marker: int, unlisted_marker: int
) -> Viewer:
    """A viewer of the same statement_shape whose ids are markers: `id_marker` for their
    id, and each id list that is not empty a list of one marker (all of the unlisted ids
    as blocked by the viewer: the rule reads them only together, as unlisted_ids)."""
    return Viewer(
        user=None,
        id=None if viewer.id is None else id_marker,
        is_member=viewer.is_member,
        is_moderator=viewer.is_moderator,
        connected_ids=frozenset({connections_marker}) if viewer.connected_ids else frozenset(),
        blocking_ids=frozenset({unlisted_marker}) if viewer.unlisted_ids else frozenset(),
    )


def any_member_sees_q(name: str, prefix: str = "") -> Q:
    """Rows whose field `name` every member may see (ANY_MEMBER_LEVEL or more open)."""
    return Q(**{f"{prefix}{name}_visibility__lte": ANY_MEMBER_LEVEL})


def field_visible_q(viewer: AnyUser | Viewer, name: str, prefix: str = "") -> Q:
    """Rows where `viewer` may see the field `name` (one of Profile.PRIVATE_FIELDS)."""
    viewer = viewer_for(viewer)
    column = f"{prefix}{name}_visibility"
    if not viewer.is_member:
        return Q(**{column: Visibility.EVERYONE})
    visible = any_member_sees_q(name, prefix) | Q(**{_user_id(prefix): viewer.id})
    if viewer.connected_ids:
        visible |= Q(**{column: Visibility.CONNECTIONS}) & connected_ids_q(viewer, prefix)
    return visible


def level_expression(viewer: AnyUser | Viewer, prefix: str = "") -> Case | Value:
    """level_for in SQL, for each row: `<field>_visibility <= level` is field_visible_q.

    One CASE for all fields, where a query needs several fields' visibility as values (the
    directory's facet flags); filters keep field_visible_q, which indexes can serve.
    """
    viewer = viewer_for(viewer)
    if not viewer.is_member:
        return Value(int(Visibility.EVERYONE))
    cases = [When(Q(**{_user_id(prefix): viewer.id}), then=Value(int(Visibility.ONLY_ME)))]
    if viewer.connected_ids:
        cases.append(When(connected_ids_q(viewer, prefix), then=Value(int(Visibility.CONNECTIONS))))
    return Case(*cases, default=Value(int(ANY_MEMBER_LEVEL)), output_field=IntegerField())


def listed_q(prefix: str = "") -> Q:
    """Members who exist in lists for anyone: approved, active, not erased, not hidden from
    the directory (blocks, which depend on the viewer, come on top in listed_profiles)."""
    user = _user(prefix)
    return Q(
        **{
            f"{user}status": MembershipStatus.APPROVED,
            f"{user}is_active": True,
            f"{user}erased_at__isnull": True,
            f"{prefix}hidden_from_directory": False,
        }
    )


def _without_blocks(viewer: Viewer, queryset: QuerySet, column: str) -> QuerySet:
    """No member who blocked the viewer or whom the viewer blocked (`column`: their id)."""
    if viewer.id is None or not viewer.is_member:
        return queryset
    unlisted = viewer.unlisted_ids
    if len(unlisted) <= ID_LIST_LIMIT:
        return queryset.exclude(_among(column, unlisted)) if unlisted else queryset
    return queryset.exclude(
        **{f"{column}__in": Block.objects.filter(blocker_id=viewer.id).values("blocked")}
    ).exclude(**{f"{column}__in": Block.objects.filter(blocked_id=viewer.id).values("blocker")})


def listed_profiles(viewer: AnyUser | Viewer, queryset: QuerySet, prefix: str = "") -> QuerySet:
    """Members the viewer may meet in lists, search, counts, suggestions and the map.

    Approved, active, not erased, not hidden from the directory, and no block either way.
    """
    viewer = viewer_for(viewer)
    return _without_blocks(viewer, queryset.filter(listed_q(prefix)), _user_id(prefix))


def listed_entries(viewer: AnyUser | Viewer, queryset: QuerySet) -> QuerySet:
    """listed_profiles for DirectoryEntry rows, whose `listed` column stores listed_q."""
    return _without_blocks(viewer_for(viewer), queryset.filter(listed=True), "user_id")
