"""Reads about members as a viewer may see them: a profile page, one's own profile and
connections, suggestions and the members map.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Expression, RawSQL

from profiles import privacy
from profiles.models import Block, Connection, DirectoryEntry, ExpertiseTag, Profile, User
from profiles.selectors.cards import card_profiles_with_tags, tagged
from profiles.selectors.directory_filters import list_holds
from taxonomy.labels import country_name
from taxonomy.models import RegionalGroup


def get_member_profile(*, viewer: privacy.Viewer, username: str) -> privacy.MemberView | None:
    """The member's page as `viewer` may see it; None when it must look absent."""
    profile = (
        Profile.objects.select_related("user", "stakeholder_type")
        .prefetch_related(tagged(), "clusters", "protocols", "languages", "user__cohorts")
        .filter(user__username=username)
        .first()
    )
    if profile is None:
        return None
    return privacy.see(viewer, profile)


_OWN_COUNTRY_SQL = (
    f"SELECT {Profile._meta.get_field('country').column} FROM {Profile._meta.db_table} "
    f"WHERE {Profile._meta.get_field('user').column} = %s"
)


def get_own_country(*, member: User) -> str:
    """The member's own country code ("" if none). Written out: the directory's default
    view asks on every visit, and the ORM cost more building it than running it."""
    with connection.cursor() as cursor:
        cursor.execute(_OWN_COUNTRY_SQL, [member.pk])
        row = cursor.fetchone()
    return (row[0] if row else "") or ""


def get_own_profile(*, member: User) -> Profile:
    profile, created = Profile.objects.get_or_create(user=member)
    if created:  # a new profile gets its directory entry, as services create them
        from profiles.services import refresh_directory

        refresh_directory(profile_ids=[profile.pk])
    return profile


def connection_between(*, viewer: User, member: User) -> Connection | None:
    return Connection.objects.filter(
        Q(from_user=viewer, to_user=member) | Q(from_user=member, to_user=viewer)
    ).first()


SUGGESTION_COUNT = 6


def suggest_members(
    *, viewer: privacy.Viewer, limit: int = SUGGESTION_COUNT
) -> list[privacy.MemberView]:
    """People the viewer may want to meet, best first.

    Same country (most shared expertise first), then shared expertise elsewhere, then the
    same UN regional group, then a shared review cluster. Never the viewer, their
    connections or pending requests, blocked members or hidden profiles; a member is matched
    only on fields the viewer may see. At most six small queries whatever the network size.
    """
    if not viewer.is_member:
        return []
    me = (
        Profile.objects.filter(user_id=viewer.id)
        .prefetch_related(Prefetch("expertise_items"), "clusters")
        .first()
    )
    if me is None:
        return []
    tag_ids = [item.tag_id for item in me.expertise_items.all()]
    cluster_ids = [cluster.pk for cluster in me.clusters.all()]
    related = Connection.objects.filter(Q(from_user_id=viewer.id) | Q(to_user_id=viewer.id))
    # DirectoryEntry rows (pk: the profile's), not profiles and users: their lists of tags and
    # clusters are counted without joining a row per tag (measured: the same-country query
    # for a country of 1,200 members, 9.6 -> 4.8 ms).
    candidates = (
        privacy.listed_entries(viewer, DirectoryEntry.objects.all())
        .exclude(user_id=viewer.id)
        .exclude(user_id__in=related.values("to_user"))
        .exclude(user_id__in=related.values("from_user"))
    )
    visible = privacy.field_visible_q
    shared_tags = _how_many_of("tag_ids", tag_ids)
    chosen: list[int] = []

    def take(queryset: QuerySet[DirectoryEntry]) -> None:
        wanted = limit - len(chosen)
        if wanted > 0:
            chosen.extend(queryset.exclude(pk__in=chosen).values_list("pk", flat=True)[:wanted])

    if me.country:
        take(
            candidates.filter(Q(country=me.country.code) & visible(viewer, "country"))
            .annotate(shared=Case(When(visible(viewer, "expertise"), then=shared_tags), default=0))
            .order_by("-shared", "pk")
        )
    if tag_ids:
        take(
            candidates.filter(visible(viewer, "expertise"))
            .filter(
                list_holds(
                    "tag_ids",
                    tag_ids,
                    lambda: Q(
                        pk__in=ExpertiseTag.objects.filter(tag_id__in=tag_ids).values(
                            "content_object"
                        )
                    ),
                    any_of=True,
                )
            )
            .annotate(shared=shared_tags)
            .order_by("-shared", "pk")
        )
    region = _region_countries(me.country.code) if me.country else []
    if region:
        take(candidates.filter(Q(country__in=region) & visible(viewer, "country")).order_by("pk"))
    if cluster_ids:
        interested = Profile.clusters.through.objects.filter(cluster_id__in=cluster_ids)
        take(
            candidates.filter(visible(viewer, "interests"))
            .filter(
                list_holds(
                    "cluster_ids",
                    cluster_ids,
                    lambda: Q(pk__in=interested.values("profile")),
                    any_of=True,
                )
            )
            .order_by("pk")
        )
    if not chosen:
        return []
    profiles = {p.pk: p for p in card_profiles_with_tags(Profile.objects.filter(pk__in=chosen))}
    views = [privacy.see(viewer, profiles[pk], only=privacy.CARD_FIELDS) for pk in chosen]
    return [view for view in views if view is not None]


def _how_many_of(column: str, values: list[int]) -> Expression:
    """How many of `values` a DirectoryEntry's list `column` holds."""
    if not values:
        return Value(0)
    table = DirectoryEntry._meta.db_table
    if connection.vendor == "postgresql":
        sql = f'(SELECT COUNT(*) FROM unnest("{table}"."{column}") AS v WHERE v = ANY(%s))'
        return RawSQL(sql, [list(values)], output_field=IntegerField())
    among = ", ".join(["%s"] * len(values))
    sql = f'(SELECT COUNT(*) FROM json_each("{table}"."{column}") WHERE value IN ({among}))'
    return RawSQL(sql, list(values), output_field=IntegerField())


def _region_countries(code: str) -> list[str]:
    for group in RegionalGroup.objects.only("countries"):
        if code in group.countries:
            return list(group.countries)
    return []


@dataclass
class MapRow:
    code: str
    name: str
    count: int
    share: float  # of the largest row, 0..1, for bar lengths


@dataclass
class MembersMap:
    regions: list[MapRow]
    countries: list[MapRow]
    listed: int
    without_country: int


def members_map(*, viewer: privacy.Viewer) -> MembersMap:
    """Members per country and per UN regional group, as `viewer` may see them.

    Only listed members whose country the viewer may see are placed; the rest are counted
    together as "country not shown", exactly as if they had given no country.
    """
    listed = privacy.listed_profiles(viewer, Profile.objects.all())
    placed = (
        listed.filter(privacy.field_visible_q(viewer, "country"))
        .exclude(country="")
        .values("country")
        .annotate(count=Count("pk"))
        .order_by("-count", "country")
    )
    by_country = {row["country"]: row["count"] for row in placed}
    total = listed.count()
    top = max(by_country.values(), default=0)
    country_rows = [
        MapRow(code, country_name(code), count, count / top if top else 0)
        for code, count in by_country.items()
    ]
    region_counts = []
    for group in RegionalGroup.objects.all():
        region_counts.append((group, sum(by_country.get(code, 0) for code in group.countries)))
    top_region = max((count for _group, count in region_counts), default=0)
    region_rows = [
        MapRow(group.slug, group.name, count, count / top_region if top_region else 0)
        for group, count in region_counts
    ]
    return MembersMap(
        regions=region_rows,
        countries=country_rows,
        listed=total,
        without_country=total - sum(by_country.values()),
    )


@dataclass
class ConnectionsOverview:
    connected: list[User]
    incoming: list[Connection]
    outgoing: list[Connection]
    blocked: list[User]


def list_connections(*, member: User) -> ConnectionsOverview:
    """The member's own connections, requests both ways and blocks (four queries)."""
    mine = Connection.objects.filter(Q(from_user=member) | Q(to_user=member)).select_related(
        "from_user", "to_user"
    )
    connected, incoming, outgoing = [], [], []
    for item in mine.order_by("-created_at"):
        if item.state == Connection.State.ACCEPTED:
            connected.append(item.to_user if item.from_user_id == member.pk else item.from_user)
        elif item.to_user_id == member.pk:
            incoming.append(item)
        else:
            outgoing.append(item)
    connected.sort(key=lambda user: user.name.lower())
    blocked = [
        block.blocked for block in Block.objects.filter(blocker=member).select_related("blocked")
    ]
    return ConnectionsOverview(connected, incoming, outgoing, blocked)
