"""Reads about members, shared by views, consumers and commands."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django_countries import countries as countries_names

from profiles import privacy
from profiles.languages import LANGUAGE_CHOICES
from profiles.models import (
    Block,
    Connection,
    ExpertiseTag,
    Invitation,
    MembershipStatus,
    Profile,
    Report,
    SpokenLanguage,
    User,
)
from taxonomy.models import RegionalGroup


def get_usable_invitation(*, code: str, email: str | None = None) -> Invitation | None:
    """The invitation for `code` if it can still approve a sign-up with `email`."""
    now = timezone.now()
    invitation = (
        Invitation.objects.filter(code=code)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("cohort")
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    if invitation.email and invitation.email.lower() != (email or "").strip().lower():
        return None
    return invitation


def list_pending_members() -> QuerySet[User]:
    return User.objects.filter(status=MembershipStatus.PENDING).order_by("date_joined", "id")


def list_cohort_invitations() -> QuerySet[Invitation]:
    """Shared cohort codes (not emailed one-off invitations), newest first."""
    return (
        Invitation.objects.filter(email="", cohort__isnull=False)
        .select_related("cohort", "created_by")
        .order_by("-created_at")[:100]
    )


# The directory, suggestions and the map. Every read takes the viewer and goes through
# profiles.privacy, so hidden members and hidden fields never match, count or show.

PAGE_SIZE = 20
FACET_LIMIT = 5000  # results above this show no counts (see search_directory)
SORTS = ("relevance", "name", "newest")
FACETS = ("country", "stakeholder_type", "expertise", "language", "cluster")


@dataclass
class DirectoryQuery:
    q: str = ""
    country: str = ""
    expertise: list[str] = field(default_factory=list)
    stakeholder_type: str = ""
    language: str = ""
    cluster: str = ""
    sort: str = "relevance"

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q
            or self.country
            or self.expertise
            or self.stakeholder_type
            or self.language
            or self.cluster
        )


@dataclass
class DirectoryPage:
    page: Page
    cards: list[privacy.MemberView]
    facets: dict[str, list[dict]]
    total: int


def _card_queryset(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """What a card shows (privacy.CARD_FIELDS), in a fixed number of queries."""
    return queryset.select_related("user", "stakeholder_type").prefetch_related(
        "expertise", "languages"
    )


def _words(text: str) -> list[str]:
    """Letters and digits only (so no search syntax gets through), at most eight words."""
    return re.findall(r"\w+", text)[:8]


def _search(viewer: privacy.Viewer, queryset: QuerySet[Profile], text: str) -> QuerySet[Profile]:
    """Every word must match the name, or the organisation or bio where the viewer sees them.

    On PostgreSQL each word is a prefix query ("ami" finds "Amina") against GIN-indexed
    vectors, and results are ranked with the name and organisation weighing above the bio.
    """
    org_visible = privacy.field_visible_q(viewer, "organisation")
    bio_visible = privacy.field_visible_q(viewer, "bio")
    words = _words(text)
    if not words:
        return queryset
    if not settings.USES_POSTGRES:
        for word in words:
            queryset = queryset.filter(
                Q(user__display_name__icontains=word)
                | (Q(organisation__icontains=word) & org_visible)
                | (Q(bio__icontains=word) & bio_visible)
            )
        return queryset
    for word in words:
        query = SearchQuery(f"{word}:*", search_type="raw", config="simple")
        queryset = queryset.filter(
            Q(name_search=query)
            | (Q(organisation_search=query) & org_visible)
            | (Q(bio_search=query) & bio_visible)
        )
    any_word = SearchQuery(
        " | ".join(f"{word}:*" for word in words), search_type="raw", config="simple"
    )
    zero = Value(0.0, output_field=FloatField())
    return queryset.annotate(
        rank=SearchRank(F("name_search"), any_word)
        + Case(When(org_visible, then=SearchRank(F("organisation_search"), any_word)), default=zero)
        + Case(When(bio_visible, then=SearchRank(F("bio_search"), any_word)), default=zero)
    )


def _filtered(
    viewer: privacy.Viewer, query: DirectoryQuery, *, skip: str = ""
) -> QuerySet[Profile]:
    """Listed members matching every filter (but `skip`), each on a field the viewer sees."""
    queryset = privacy.listed_profiles(viewer, Profile.objects.all())
    visible = privacy.field_visible_q
    if query.country and skip != "country":
        queryset = queryset.filter(Q(country=query.country) & visible(viewer, "country"))
    if query.stakeholder_type and skip != "stakeholder_type":
        queryset = queryset.filter(
            Q(stakeholder_type__slug=query.stakeholder_type) & visible(viewer, "stakeholder_type")
        )
    if query.expertise and skip != "expertise":
        queryset = queryset.filter(visible(viewer, "expertise"))
        for slug in query.expertise:
            tagged = ExpertiseTag.objects.filter(tag__slug=slug).values("content_object")
            queryset = queryset.filter(pk__in=tagged)
    if query.language and skip != "language":
        speakers = SpokenLanguage.objects.filter(code=query.language).values("profile")
        queryset = queryset.filter(Q(pk__in=speakers) & visible(viewer, "languages"))
    if query.cluster and skip != "cluster":
        interested = Profile.clusters.through.objects.filter(cluster__slug=query.cluster)
        queryset = queryset.filter(
            Q(pk__in=interested.values("profile")) & visible(viewer, "interests")
        )
    if query.q and skip != "q":
        queryset = _search(viewer, queryset, query.q)
    return queryset


def _ordered(queryset: QuerySet[Profile], query: DirectoryQuery) -> QuerySet[Profile]:
    if query.sort == "newest":
        return queryset.order_by("-user__date_joined", "-user_id")
    if query.sort == "relevance" and "rank" in queryset.query.annotations:
        return queryset.order_by("-rank", Lower("user__display_name"), "user_id")
    return queryset.order_by(Lower("user__display_name"), "user_id")


def directory_facets(
    viewer: privacy.Viewer, query: DirectoryQuery, base: QuerySet[Profile] | None = None
) -> dict[str, list[dict]]:
    """Counts for refining the current results, one query per facet.

    Every facet counts within the current results (filters combine with AND); the selects of
    the form still offer every value. A member counts only where the viewer may see that
    field.
    """
    visible = privacy.field_visible_q
    base = base if base is not None else _filtered(viewer, query)

    # Drill-down counts, within the current results: no count needs a pass over the whole
    # network (a chosen country's facet then shows that country alone).
    countries = (
        base.filter(visible(viewer, "country"))
        .exclude(country="")
        .values("country")
        .annotate(count=Count("pk"))
        .order_by("-count", "country")
    )
    types = (
        base.filter(visible(viewer, "stakeholder_type"), stakeholder_type__isnull=False)
        .values("stakeholder_type__slug", "stakeholder_type__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "stakeholder_type__name")
    )
    tags = (
        ExpertiseTag.objects.filter(content_object__in=base.filter(visible(viewer, "expertise")))
        .exclude(tag__slug__in=query.expertise)
        .values("tag__slug", "tag__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "tag__name")[:15]
    )
    languages = (
        SpokenLanguage.objects.filter(profile__in=base.filter(visible(viewer, "languages")))
        .values("code")
        .annotate(count=Count("pk"))
        .order_by("-count", "code")
    )
    clusters = (
        Profile.clusters.through.objects.filter(
            profile__in=base.filter(visible(viewer, "interests"))
        )
        .values("cluster__slug", "cluster__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "cluster__name")
    )
    language_names = dict(LANGUAGE_CHOICES)
    return {
        "country": [
            {"value": row["country"], "label": countries_names.name(row["country"]), **row}
            for row in countries[:15]
        ],
        "stakeholder_type": [
            {"value": r["stakeholder_type__slug"], "label": r["stakeholder_type__name"], **r}
            for r in types
        ],
        "expertise": [
            {"value": r["tag__slug"], "label": r["tag__name"], "count": r["count"]} for r in tags
        ],
        "language": [
            {"value": r["code"], "label": language_names.get(r["code"], r["code"]), **r}
            for r in languages[:10]
        ],
        "cluster": [
            {"value": r["cluster__slug"], "label": r["cluster__name"], **r} for r in clusters
        ],
    }


def search_directory(
    *, viewer: privacy.Viewer, query: DirectoryQuery, page_number: str | int | None = 1
) -> DirectoryPage:
    """One page of the directory for `viewer`, with cards and facet counts.

    A fixed number of queries whatever the page holds: the count, the page with its tags and
    languages, and one per facet (none over FACET_LIMIT results).
    """
    base = _filtered(viewer, query)
    queryset = _card_queryset(_ordered(base, query))
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    total = page.paginator.count
    cards = [
        view
        for profile in page.object_list
        if (view := privacy.see(viewer, profile, only=privacy.CARD_FIELDS)) is not None
    ]
    return DirectoryPage(
        page=page,
        cards=cards,
        # Counting every facet over tens of thousands of members would cost more than the
        # rest of the page together: counts appear once the results are narrowed.
        facets=directory_facets(viewer, query, base=base) if total <= FACET_LIMIT else {},
        total=total,
    )


def get_member_profile(*, viewer: privacy.Viewer, username: str) -> privacy.MemberView | None:
    """The member's page as `viewer` may see it; None when it must look absent."""
    profile = (
        Profile.objects.select_related("user", "stakeholder_type")
        .prefetch_related("expertise", "clusters", "protocols", "languages", "user__cohorts")
        .filter(user__username=username)
        .first()
    )
    if profile is None:
        return None
    return privacy.see(viewer, profile)


def get_own_country(*, member: User) -> str:
    return Profile.objects.filter(user=member).values_list("country", flat=True).first() or ""


def get_own_profile(*, member: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=member)
    return profile


def connection_between(*, viewer: User, member: User) -> Connection | None:
    return Connection.objects.filter(
        Q(from_user=viewer, to_user=member) | Q(from_user=member, to_user=viewer)
    ).first()


SUGGESTION_COUNT = 6


def suggest_members(
    *, viewer: privacy.Viewer, limit: int = SUGGESTION_COUNT, exclude: tuple[int, ...] = ()
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
    candidates = (
        privacy.listed_profiles(viewer, Profile.objects.all())
        .exclude(user_id=viewer.id)
        .exclude(user_id__in=related.values("to_user"))
        .exclude(user_id__in=related.values("from_user"))
        .exclude(user_id__in=exclude)
    )
    visible = privacy.field_visible_q
    shared_tags = Subquery(
        ExpertiseTag.objects.filter(content_object=OuterRef("pk"), tag_id__in=tag_ids)
        .values("content_object")
        .annotate(count=Count("pk"))
        .values("count"),
        output_field=IntegerField(),
    )
    chosen: list[int] = []

    def take(queryset: QuerySet[Profile]) -> None:
        wanted = limit - len(chosen)
        if wanted > 0:
            chosen.extend(queryset.exclude(pk__in=chosen).values_list("pk", flat=True)[:wanted])

    if me.country:
        take(
            candidates.filter(Q(country=me.country) & visible(viewer, "country"))
            .annotate(
                shared=Case(
                    When(visible(viewer, "expertise"), then=Coalesce(shared_tags, 0)), default=0
                )
            )
            .order_by("-shared", "pk")
        )
    if tag_ids:
        take(
            candidates.filter(visible(viewer, "expertise"))
            .filter(pk__in=ExpertiseTag.objects.filter(tag_id__in=tag_ids).values("content_object"))
            .annotate(shared=Coalesce(shared_tags, 0))
            .order_by("-shared", "pk")
        )
    region = _region_countries(me.country.code) if me.country else []
    if region:
        take(candidates.filter(Q(country__in=region) & visible(viewer, "country")).order_by("pk"))
    if cluster_ids:
        interested = Profile.clusters.through.objects.filter(cluster_id__in=cluster_ids)
        take(
            candidates.filter(visible(viewer, "interests"))
            .filter(pk__in=interested.values("profile"))
            .order_by("pk")
        )
    if not chosen:
        return []
    profiles = {p.pk: p for p in _card_queryset(Profile.objects.filter(pk__in=chosen))}
    views = [privacy.see(viewer, profiles[pk], only=privacy.CARD_FIELDS) for pk in chosen]
    return [view for view in views if view is not None]


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
        MapRow(code, countries_names.name(code), count, count / top if top else 0)
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


def list_reports(*, viewer: User, resolved: bool = False) -> QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=not resolved).select_related(
        "reporter", "member", "resolved_by"
    )
