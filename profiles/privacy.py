"""The one policy deciding what a viewer may see of a member.

Every surface that shows a member goes through here: the profile page, directory cards,
filters and their counts, search, suggestions, the members map, exports, chat presence and
feeds. The rule has two forms that must agree, kept side by side in this module:

- `see(viewer, profile)` for rendering one member: a `MemberView` holding only what the
  viewer may see, or None when the member must look as if they did not exist;
- `listed_profiles(viewer, queryset)` and `field_visible_q(viewer, field)` for the database,
  so lists, filters, counts and search never match on what the viewer may not see.

The directory reads DirectoryEntry rows, which hold nothing that depends on the viewer: who
is listed at all (`listed_q`) and the searchable text at each level (`stored_search_vectors`)
are derived here and written by services.refresh_directory; the viewer's part (blocks,
connections, their own row) is applied when reading, by the functions below.

The rule:

- Only approved, active members exist for others. A member hidden from the directory is
  absent from every list, search, count, suggestion and map for everyone; their profile page
  still opens for their connections and for moderators (who handle reports).
- A block works both ways in lists: the two members never meet each other in the directory,
  search, suggestions or map. The blocked member gets a 404 on the blocker's page; the blocker
  can still open the blocked member's page (to unblock), seeing only members-level fields.
- Each field has a level (everyone / members / my connections / only me). Visitors and
  pending accounts see "everyone" fields; members also "members" fields; connections also
  "my connections" fields; the member sees everything. Moderators see what members see.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Lookup
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

from profiles.languages import LANGUAGE_CHOICES
from profiles.models import (
    Block,
    Connection,
    MembershipStatus,
    OpenTo,
    Profile,
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


@dataclass
class MemberView:
    """What one viewer may see of one member: a field the viewer may not see is empty."""

    user: User
    profile: Profile
    level: int
    is_self: bool
    is_connected: bool
    is_hidden: bool
    visible: frozenset[str]
    organisation: str = ""
    stakeholder_type: Any = None
    country: Any = None
    city: str = ""
    expertise: list = field(default_factory=list)
    clusters: list = field(default_factory=list)
    protocols: list = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    bio_html: str = ""
    avatar_url: str = ""
    avatar_small_url: str = ""
    links: list[str] = field(default_factory=list)
    cohorts: list = field(default_factory=list)
    open_to: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def username(self) -> str:
        return self.user.username

    def get_absolute_url(self) -> str:
        return member_url(self.user.username)

    def __getitem__(self, name: str) -> Any:
        # Templates look a name up by subscript before trying the attribute: answering it
        # spares the failed lookup on every field of every card of a directory page.
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    @property
    def language_labels(self) -> list[str]:
        names = dict(LANGUAGE_CHOICES)
        return [str(names.get(code, code)) for code in self.languages]

    @property
    def open_to_labels(self) -> list[str]:
        return [str(OpenTo(value).label) for value in self.open_to if value in OpenTo.values]


_MEMBER_URLS: dict[tuple, str] = {}
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


def member_url(username: str) -> str:
    """User.get_absolute_url, without a reverse() per member: the address is reversed once
    (per URL configuration and script prefix) and the username put in its place, quoted as
    reverse() quotes it."""
    return member_urls()(username)


def member_urls() -> Callable[[str], str]:
    """member_url for a whole list: the URL configuration and script prefix (request-local
    state) are read once."""
    key = (get_script_prefix(), get_urlconf())
    template = _MEMBER_URLS.get(key)
    if template is None:
        template = reverse("profiles:member-detail", kwargs={"username": "USERNAME"})
        _MEMBER_URLS[key] = template
    head, tail = template.rsplit("USERNAME", 1)
    return partial(_member_url, head=head, tail=tail)


def _member_url(username: str, head: str, tail: str) -> str:
    if username in (".", "..") or "/" in username:
        return reverse("profiles:member-detail", kwargs={"username": username})
    return f"{head}{quote(username, safe=_URL_SAFE)}{tail}"


def _exists_for(viewer: Viewer, user: User, profile: Profile) -> bool:
    """May the viewer know this member exists at all (their page, their name)?"""
    if viewer.id is not None and viewer.id == user.pk:
        return True
    if viewer.is_moderator:
        return True  # moderators act on reports about any account, hidden or not
    if user.status != MembershipStatus.APPROVED or not user.is_active or user.erased_at:
        return False
    if user.pk in viewer.blocked_by_ids:
        return False
    if profile.hidden_from_directory:
        return user.pk in viewer.connected_ids
    return True


# What a directory card or a suggestion shows (profiles/cards.py);
# selectors prefetch exactly these relations.
CARD_FIELDS = frozenset({"organisation", "stakeholder_type", "country", "expertise", "avatar"})


def see(
    viewer: AnyUser | Viewer,
    profile: Profile,
    *,
    only: frozenset[str] | None = None,
    expertise: list | None = None,
) -> MemberView | None:
    """What `viewer` may see of the member owning `profile`; None: as if they did not exist.

    Reads related rows (tagged expertise with its tags, clusters, languages, cohorts) only
    for fields the viewer may see and `only` asks for, so a selector that prefetched them
    renders a whole list with no further queries. `expertise`: the profile's tags, when the
    selector read them itself (they are shown only if the viewer may see them).
    """
    viewer = viewer_for(viewer)
    user = profile.user
    if not _exists_for(viewer, user, profile):
        return None
    level = level_for(viewer, user.pk)
    visible = frozenset(
        name
        for name in Profile.PRIVATE_FIELDS
        if getattr(profile, f"{name}_visibility") <= level and (only is None or name in only)
    )
    view = MemberView(
        user=user,
        profile=profile,
        level=level,
        is_self=viewer.id == user.pk,
        is_connected=user.pk in viewer.connected_ids,
        is_hidden=profile.hidden_from_directory,
        visible=visible,
    )
    if "organisation" in visible:
        view.organisation = profile.organisation
    if "stakeholder_type" in visible:
        view.stakeholder_type = profile.stakeholder_type
    country = profile.country if "country" in visible else None  # a new Country each read
    if country:
        view.country = country
        view.city = profile.city
    if "expertise" in visible:
        # Through the tagged rows (selectors prefetch them with their tags): taggit's own
        # manager builds a queryset per profile even when prefetched.
        if expertise is not None:
            tags = list(expertise)
        else:
            tags = [item.tag for item in profile.expertise_items.all()]
        view.expertise = sorted(tags, key=lambda tag: tag.name.lower())
    if "interests" in visible:
        view.clusters = list(profile.clusters.all())
        view.protocols = list(profile.protocols.all())
    if "languages" in visible:
        view.languages = sorted(item.code for item in profile.languages.all())
    if "bio" in visible:
        view.bio_html = profile.bio_html
    if "avatar" in visible and profile.avatar:
        view.avatar_url = profile.avatar.url
        view.avatar_small_url = profile.avatar_small.url if profile.avatar_small else ""
    if "links" in visible:
        view.links = list(profile.links)
    if "cohorts" in visible:
        view.cohorts = list(user.cohorts.all())
    if "open_to" in visible:
        view.open_to = list(profile.open_to)
    return view


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


def _search_vector(organisation_visible: Q, bio_visible: Q) -> CombinedExpression:
    """A profile's name, organisation and bio vectors joined, each field only where its
    condition holds: the text that may be searched (and ranked) for someone."""
    empty = Cast(Value(""), SearchVectorField())
    joined = CombinedExpression(
        F("name_search"),
        "||",
        Case(When(organisation_visible, then=F("organisation_search")), default=empty),
        output_field=SearchVectorField(),
    )
    return CombinedExpression(
        joined,
        "||",
        Case(When(bio_visible, then=F("bio_search")), default=empty),
        output_field=SearchVectorField(),
    )


def visible_search_vector(viewer: AnyUser | Viewer) -> CombinedExpression:
    """On Profile (PostgreSQL): the text `viewer` may search of each member."""
    return _search_vector(field_visible_q(viewer, "organisation"), field_visible_q(viewer, "bio"))


def _search_vector_at(level: int) -> CombinedExpression:
    return _search_vector(Q(organisation_visibility__lte=level), Q(bio_visibility__lte=level))


# The searchable text DirectoryEntry stores, by the level it is seen at (see level_for):
# any member, a connection, the member themselves.
SEARCH_LEVELS = {
    "members_search": ANY_MEMBER_LEVEL,
    "connections_search": Visibility.CONNECTIONS,
    "own_search": Visibility.ONLY_ME,
}


def stored_search_vectors() -> dict[str, Case | CombinedExpression]:
    """On Profile (PostgreSQL): DirectoryEntry's search vectors, each the text seen at its
    level. Above ANY_MEMBER_LEVEL a vector is stored only when a searched field sits exactly
    at that level, NULL otherwise: the text is then the one of the level below."""
    vectors: dict[str, Case | CombinedExpression] = {}
    for column, level in SEARCH_LEVELS.items():
        vector = _search_vector_at(int(level))
        if level != ANY_MEMBER_LEVEL:
            differs = Q(organisation_visibility=level) | Q(bio_visibility=level)
            vector = Case(When(differs, then=vector), default=None)
        vectors[column] = vector
    return vectors


def entry_search_vector(level: int) -> Coalesce | F:
    """On DirectoryEntry: the text seen at `level` (one of SEARCH_LEVELS)."""
    columns = [column for column, at in SEARCH_LEVELS.items() if at <= level]
    if len(columns) == 1:
        return F(columns[0])
    return Coalesce(*(F(column) for column in reversed(columns)))


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


def is_listed_for(viewer: AnyUser | Viewer, member: User) -> bool:
    """Whether `member` may appear to `viewer` in lists and presence (one query at most)."""
    viewer = viewer_for(viewer)
    if member.pk in viewer.unlisted_ids:
        return False
    return listed_profiles(viewer, Profile.objects.filter(user=member)).exists()
