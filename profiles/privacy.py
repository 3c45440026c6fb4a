"""The one policy deciding what a viewer may see of a member.

Every surface that shows a member goes through here: the profile page, directory cards,
filters and their counts, search, suggestions, the members map, exports, chat presence and
feeds. The rule has two forms that must agree, kept side by side in this module:

- `see(viewer, profile)` for rendering one member: a `MemberView` holding only what the
  viewer may see, or None when the member must look as if they did not exist;
- `listed_profiles(viewer, queryset)` and `field_visible_q(viewer, field)` for the database,
  so lists, filters, counts and search never match on what the viewer may not see.

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

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

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
    """Read the viewer's connections and blocks (two queries; none for visitors)."""
    if isinstance(user, Viewer):
        return user
    if not is_member(user):
        return Viewer(user=user, id=getattr(user, "pk", None), is_member=False, is_moderator=False)
    connected = set()
    for from_id, to_id in Connection.objects.filter(
        Q(from_user=user) | Q(to_user=user), state=Connection.State.ACCEPTED
    ).values_list("from_user_id", "to_user_id"):
        connected.add(to_id if from_id == user.pk else from_id)
    blocking, blocked_by = set(), set()
    for blocker_id, blocked_id in Block.objects.filter(
        Q(blocker=user) | Q(blocked=user)
    ).values_list("blocker_id", "blocked_id"):
        if blocker_id == user.pk:
            blocking.add(blocked_id)
        else:
            blocked_by.add(blocker_id)
    return Viewer(
        user=user,
        id=user.pk,
        is_member=True,
        is_moderator=is_moderator(user),
        connected_ids=frozenset(connected),
        blocking_ids=frozenset(blocking),
        blocked_by_ids=frozenset(blocked_by),
    )


def level_for(viewer: Viewer, member_id: int) -> int:
    """The most private visibility level `viewer` may see of `member_id`'s fields."""
    if viewer.id is not None and viewer.id == member_id:
        return Visibility.ONLY_ME
    if not viewer.is_member:
        return Visibility.EVERYONE
    if member_id in viewer.connected_ids and member_id not in viewer.unlisted_ids:
        return Visibility.CONNECTIONS
    return Visibility.MEMBERS


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
        return self.user.get_absolute_url()

    @property
    def language_labels(self) -> list[str]:
        names = dict(LANGUAGE_CHOICES)
        return [str(names.get(code, code)) for code in self.languages]

    @property
    def open_to_labels(self) -> list[str]:
        return [str(OpenTo(value).label) for value in self.open_to if value in OpenTo.values]


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


# What a directory card or a suggestion shows; selectors prefetch exactly these relations.
CARD_FIELDS = frozenset(
    {"organisation", "stakeholder_type", "country", "expertise", "languages", "avatar"}
)


def see(
    viewer: AnyUser | Viewer, profile: Profile, *, only: frozenset[str] | None = None
) -> MemberView | None:
    """What `viewer` may see of the member owning `profile`; None: as if they did not exist.

    Reads related rows (tags, clusters, languages, cohorts) only for fields the viewer may
    see and `only` asks for, so a selector that prefetched them renders a whole list with no
    further queries.
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
    if "country" in visible and profile.country:
        view.country = profile.country
        view.city = profile.city
    if "expertise" in visible:
        view.expertise = sorted(profile.expertise.all(), key=lambda tag: tag.name.lower())
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
# querying Profile, "profile__" when querying User.


def _user_id(prefix: str) -> str:
    return "user_id" if prefix == "" else "pk"


def _user(prefix: str) -> str:
    return "user__" if prefix == "" else ""


def connected_ids_q(viewer: Viewer, prefix: str = "") -> Q:
    """Rows whose member is one of the viewer's connections (a subquery, not an id list)."""
    accepted = Connection.objects.filter(state=Connection.State.ACCEPTED)
    return Q(
        **{f"{_user_id(prefix)}__in": accepted.filter(from_user_id=viewer.id).values("to_user")}
    ) | Q(**{f"{_user_id(prefix)}__in": accepted.filter(to_user_id=viewer.id).values("from_user")})


def field_visible_q(viewer: AnyUser | Viewer, name: str, prefix: str = "") -> Q:
    """Rows where `viewer` may see the field `name` (one of Profile.PRIVATE_FIELDS)."""
    viewer = viewer_for(viewer)
    column = f"{prefix}{name}_visibility"
    if not viewer.is_member:
        return Q(**{column: Visibility.EVERYONE})
    return (
        Q(**{f"{column}__lte": Visibility.MEMBERS})
        | (Q(**{column: Visibility.CONNECTIONS}) & connected_ids_q(viewer, prefix))
        | Q(**{_user_id(prefix): viewer.id})
    )


def listed_profiles(viewer: AnyUser | Viewer, queryset: QuerySet, prefix: str = "") -> QuerySet:
    """Members the viewer may meet in lists, search, counts, suggestions and the map.

    Approved, active, not erased, not hidden from the directory, and no block either way.
    """
    viewer = viewer_for(viewer)
    user = _user(prefix)
    queryset = queryset.filter(
        **{
            f"{user}status": MembershipStatus.APPROVED,
            f"{user}is_active": True,
            f"{user}erased_at__isnull": True,
            f"{prefix}hidden_from_directory": False,
        }
    )
    if viewer.id is not None and viewer.is_member:
        queryset = queryset.exclude(
            **{
                f"{_user_id(prefix)}__in": Block.objects.filter(blocker_id=viewer.id).values(
                    "blocked"
                )
            }
        ).exclude(
            **{
                f"{_user_id(prefix)}__in": Block.objects.filter(blocked_id=viewer.id).values(
                    "blocker"
                )
            }
        )
    return queryset


def is_listed_for(viewer: AnyUser | Viewer, member: User) -> bool:
    """Whether `member` may appear to `viewer` in lists and presence (one query at most)."""
    viewer = viewer_for(viewer)
    if member.pk in viewer.unlisted_ids:
        return False
    return listed_profiles(viewer, Profile.objects.filter(user=member)).exists()
