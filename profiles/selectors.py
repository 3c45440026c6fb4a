"""Reads about members, shared by views, consumers and commands."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag

from profiles import privacy
from profiles.languages import LANGUAGE_CHOICES
from profiles.models import (
    Block,
    Connection,
    DirectoryEntry,
    ExpertiseTag,
    Invitation,
    MembershipStatus,
    Profile,
    Report,
    SpokenLanguage,
    User,
    Visibility,
)
from taxonomy.labels import country_name, label
from taxonomy.models import Cluster, RegionalGroup


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


class CardTag(NamedTuple):
    """An expertise tag as a card shows it (a light stand-in for taggit's Tag)."""

    id: int
    slug: str
    name: str


@dataclass
class DirectoryPage:
    page: Page
    cards: list[privacy.MemberView]
    facets: dict[str, list[dict]]
    total: int


def _tagged() -> Prefetch:
    """A profile's expertise as privacy.see reads it: the tagged rows with their tags."""
    return Prefetch("expertise_items", queryset=ExpertiseTag.objects.select_related("tag"))


# The columns privacy.see reads to build a card: loading only these halves the cost of
# building the page's model instances. A card template reading another column would cost a
# query per card, which tests/profiles/test_query_counts.py would notice.
_CARD_COLUMNS = (
    "user__username",
    "user__display_name",
    "user__status",
    "user__is_active",
    "user__erased_at",
    "organisation",
    "stakeholder_type__name",
    "stakeholder_type__slug",
    "country",
    "city",
    "avatar",
    "avatar_small",
    "hidden_from_directory",
    *(f"{name}_visibility" for name in Profile.PRIVATE_FIELDS),
)


def _cards(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """Profiles with what a card shows (privacy.CARD_FIELDS) but their tags."""
    return queryset.select_related("user", "stakeholder_type").only(*_CARD_COLUMNS)


def _card_queryset(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """What a card shows (privacy.CARD_FIELDS), in a fixed number of queries."""
    return _cards(queryset).prefetch_related(_tagged())


def _words(text: str) -> list[str]:
    """Letters and digits only (so no search syntax gets through), at most eight words."""
    return re.findall(r"\w+", text)[:8]


def _search(
    viewer: privacy.Viewer, queryset: QuerySet[DirectoryEntry], text: str
) -> QuerySet[DirectoryEntry]:
    """Every word must match the name, or the organisation or bio where the viewer sees them.

    On PostgreSQL each word is a prefix query ("ami" finds "Amina") against GIN-indexed
    vectors, and results are ranked on the text the viewer may see, the name and
    organisation weighing above the bio. A member is matched through the text DirectoryEntry
    stores at the level they see each row at (privacy.stored_search_vectors): one index
    lookup for all words, plus their own row and their connections'.
    """
    words = _words(text)
    if not words:
        return queryset
    if settings.USES_POSTGRES and viewer.is_member:
        closer = privacy.sees_more_than_any_member(viewer)
        if len(closer) <= privacy.ID_LIST_LIMIT:
            return _search_stored_text(viewer, queryset, words)
    # Elsewhere (SQLite; a visitor; a member with a great many connections): through the
    # profiles' per-field text, each field where the viewer may see it.
    org_visible = privacy.field_visible_q(viewer, "organisation")
    bio_visible = privacy.field_visible_q(viewer, "bio")
    per_field = Q()
    for word in words:
        if settings.USES_POSTGRES:
            word_query = SearchQuery(f"{word}:*", search_type="raw", config="simple")
            lookups = ("name_search", "organisation_search", "bio_search")
        else:
            word_query = word
            lookups = ("user__display_name__icontains", "organisation__icontains", "bio__icontains")
        name, organisation, bio = (Q(**{lookup: word_query}) for lookup in lookups)
        per_field &= name | (organisation & org_visible) | (bio & bio_visible)
    queryset = queryset.filter(pk__in=Profile.objects.filter(per_field).values("pk"))
    if not settings.USES_POSTGRES:
        return queryset
    rank = Subquery(
        Profile.objects.filter(pk=OuterRef("pk"))
        .annotate(rank=SearchRank(privacy.visible_search_vector(viewer), _any_word(words)))
        .values("rank")[:1],
        output_field=FloatField(),
    )
    return queryset.annotate(rank=rank)


def _any_word(words: list[str]) -> SearchQuery:
    return SearchQuery(" | ".join(f"{w}:*" for w in words), search_type="raw", config="simple")


def _search_stored_text(
    viewer: privacy.Viewer, queryset: QuerySet[DirectoryEntry], words: list[str]
) -> QuerySet[DirectoryEntry]:
    """A member's search on PostgreSQL, as privacy.level_for sees each row: their own row
    at ONLY_ME, their connections' at CONNECTIONS, everyone else's at ANY_MEMBER_LEVEL.
    Each branch is indexed (GIN on members_search, user_id), so the planner combines them."""
    every_word = SearchQuery(
        " & ".join(f"{w}:*" for w in words), search_type="raw", config="simple"
    )
    any_word = _any_word(words)
    matching = Q(members_search=every_word) | (
        Q(user_id=viewer.id) & (Q(own_search=every_word) | Q(connections_search=every_word))
    )
    own_text = privacy.entry_search_vector(Visibility.ONLY_ME)
    ranks = [When(user_id=viewer.id, then=SearchRank(own_text, any_word))]
    if viewer.connected_ids:
        connected = privacy.connected_ids_q(viewer)
        connection_text = privacy.entry_search_vector(Visibility.CONNECTIONS)
        matching |= connected & Q(connections_search=every_word)
        ranks.append(When(connected, then=SearchRank(connection_text, any_word)))
    rank = Case(*ranks, default=SearchRank(F("members_search"), any_word))
    return queryset.filter(matching).annotate(rank=rank)


def _has(column: str, value: Expression | str, relation: Callable[[], Q]) -> Q:
    """Entries whose profile has `value` in a relation (tags, languages, clusters).

    On PostgreSQL through the entry's own list of those values (`column`, GIN indexed), which
    the planner can combine with the other filters' indexes; elsewhere through `relation()`.
    """
    if connection.vendor != "postgresql":
        return relation()
    if isinstance(value, str):
        return Q(**{f"{column}__contains": [value]})
    one_value = Func(value, function="jsonb_build_array", output_field=JSONField())
    return Q(**{f"{column}__contains": one_value})


def _filtered(viewer: privacy.Viewer, query: DirectoryQuery) -> QuerySet[DirectoryEntry]:
    """Listed members matching every filter, each on a field the viewer may see.

    Rows of DirectoryEntry, whose pk is the profile's: its visibility columns carry
    Profile's names, so privacy.field_visible_q applies to them unchanged. The conditions
    go in with one filter() (each filter() copies the whole query).
    """
    visible = privacy.field_visible_q
    conditions = []
    if query.country:
        conditions.append(Q(country=query.country) & visible(viewer, "country"))
    if query.stakeholder_type:
        conditions.append(
            Q(stakeholder_type__slug=query.stakeholder_type) & visible(viewer, "stakeholder_type")
        )
    if query.expertise:
        conditions.append(visible(viewer, "expertise"))
        for slug in query.expertise:
            tag_id = Subquery(Tag.objects.filter(slug=slug).values("id")[:1])
            conditions.append(
                _has(
                    "tag_ids",
                    tag_id,
                    lambda slug=slug: Q(
                        pk__in=ExpertiseTag.objects.filter(tag__slug=slug).values("content_object")
                    ),
                )
            )
    if query.language:
        code = query.language
        conditions.append(
            _has(
                "language_codes",
                code,
                lambda: Q(pk__in=SpokenLanguage.objects.filter(code=code).values("profile")),
            )
            & visible(viewer, "languages")
        )
    if query.cluster:
        slug = query.cluster
        cluster_id = Subquery(Cluster.objects.filter(slug=slug).values("id")[:1])
        interested = Profile.clusters.through.objects
        conditions.append(
            _has(
                "cluster_ids",
                cluster_id,
                lambda: Q(pk__in=interested.filter(cluster__slug=slug).values("profile")),
            )
            & visible(viewer, "interests")
        )
    queryset = privacy.listed_entries(viewer, DirectoryEntry.objects.filter(*conditions))
    if query.q:
        queryset = _search(viewer, queryset, query.q)
    return queryset


def _order_keys(queryset: QuerySet[DirectoryEntry], query: DirectoryQuery) -> list[tuple]:
    """The directory's order as (expression, descending) pairs, ending on a unique key:
    by name (case-insensitive), newest first, or by relevance when searching."""
    if query.sort == "newest":
        return [(F("joined_at"), True), (F("user_id"), True)]
    if query.sort == "relevance" and "rank" in queryset.query.annotations:
        return [(F("rank"), True), (F("sort_name"), False), (F("user_id"), False)]
    return [(F("sort_name"), False), (F("user_id"), False)]


# Counts per facet: how many values to show at most, and the field whose visibility decides
# whether a member counts under that facet.
FACET_ROWS = {"country": 15, "stakeholder_type": 15, "expertise": 15, "language": 10, "cluster": 15}
_FACET_FIELDS = {
    "country": "country",
    "stakeholder_type": "stakeholder_type",
    "expertise": "expertise",
    "language": "languages",
    "cluster": "interests",
}
# Over the CTE `base` (see _results_sql). {seen}: the viewer may see the facet's field of
# that member; {small}: facets are counted at all; {each}: the members counted, one row
# e(value) per element of a JSON list column (see _each). Rows are grouped by id before the
# labels are joined, so a label is read once per value, not once per member.
_FACET_SQL = {
    "country": (
        "SELECT b.country, '', COUNT(*) FROM base b "
        "WHERE {seen} AND b.country <> '' {small} GROUP BY b.country "
        "ORDER BY 3 DESC, 1 LIMIT {limit}"
    ),
    "stakeholder_type": (
        "SELECT t.slug, t.name, c.n FROM (SELECT b.type_id, COUNT(*) AS n FROM base b "
        "WHERE {seen} {small} GROUP BY b.type_id) AS c JOIN {type} t ON t.id = c.type_id "
        "ORDER BY 3 DESC, 2 LIMIT {limit}"
    ),
    "expertise": (
        "SELECT g.slug, g.name, c.n FROM (SELECT e.value AS id, COUNT(*) AS n "
        "FROM {each} GROUP BY e.value) AS c "
        "JOIN {tag} g ON g.id = CAST(c.id AS INTEGER) WHERE g.slug NOT IN ({chosen}) "
        "ORDER BY 3 DESC, 2 LIMIT {limit}"
    ),
    "language": (
        "SELECT e.value, '', COUNT(*) FROM {each} GROUP BY e.value ORDER BY 3 DESC, 1 LIMIT {limit}"
    ),
    "cluster": (
        "SELECT g.slug, g.name, c.n FROM (SELECT e.value AS id, COUNT(*) AS n "
        "FROM {each} GROUP BY e.value) AS c "
        "JOIN {cluster} g ON g.id = CAST(c.id AS INTEGER) ORDER BY 3 DESC, 2 LIMIT {limit}"
    ),
}
_FACET_LISTS = {"expertise": "tag_ids", "language": "language_codes", "cluster": "cluster_ids"}


def _each(column: str, where: str) -> str:
    """The elements of a JSON list column of the rows of `base` matching `where`, as rows
    e(value) of text. On PostgreSQL the elements are unnested in the select list: a
    function in FROM would materialise each member's list on its own (measured: a search with
    2,300 results 31 -> 23 ms for the whole statement; 42 -> 40 ms on average over the
    benchmark's 23 words, most of which match too many members to be counted)."""
    if not column:
        return ""
    if connection.vendor == "postgresql":
        return f"(SELECT jsonb_array_elements_text(b.{column}) AS value FROM base b {where}) AS e"
    return f"(SELECT j.value AS value FROM base b, json_each(b.{column}) AS j {where}) AS e"


def _results_sql(
    viewer: privacy.Viewer, query: DirectoryQuery, page_index: int
) -> tuple[str, list]:
    """One statement for the total, every facet's counts, one page's ids and their tags.

    The results are computed once, as a materialised CTE of ids with their sort keys, tag,
    language and cluster lists, facet fields' visibility and the viewer's level, all built
    from profiles.privacy by `_filtered` and `level_expression`. The total, each facet and the
    page then read that CTE: before, each of them ran the whole filter and privacy predicate
    again. Facets are left out over FACET_LIMIT results. The page is clamped to the last
    one, as Paginator.get_page does. Rows: (kind, value, label, number, position).
    """
    base = _filtered(viewer, query)
    keys = _order_keys(base, query)
    sort = {f"sort_{number}": expression for number, (expression, _desc) in enumerate(keys)}
    lists = ["tag_ids", "language_codes", "cluster_ids"]
    # The viewer's level for each row (privacy.level_expression): a facet counts a member
    # where `<field>_visibility <= level`, which is privacy.field_visible_q.
    levels = [f"{field}_visibility" for field in _FACET_FIELDS.values()]
    columns = ["pk", "country", "stakeholder_type_id", *lists, *levels, "level", *sort]
    rows = base.annotate(level=privacy.level_expression(viewer), **sort)
    base_sql, base_params = rows.values_list(*columns).query.sql_with_params()
    order = ", ".join(
        f"{name} {'DESC' if desc else 'ASC'}" for name, (_e, desc) in zip(sort, keys, strict=True)
    )
    page_sql = (
        f"SELECT id, ROW_NUMBER() OVER (ORDER BY {order}) AS position "
        f"FROM (SELECT * FROM base ORDER BY {order} LIMIT {PAGE_SIZE} "
        "OFFSET (SELECT CASE WHEN %s < n OR n = 0 THEN %s "
        f"ELSE (n - 1) / {PAGE_SIZE} * {PAGE_SIZE} END FROM total)) AS p"
    )
    params = [*base_params, page_index * PAGE_SIZE, page_index * PAGE_SIZE]
    tag_table = ExpertiseTag.tag.field.related_model._meta.db_table
    tables = {
        "tag": tag_table,
        "type": Profile.stakeholder_type.field.related_model._meta.db_table,
        "cluster": Profile.clusters.field.related_model._meta.db_table,
    }
    chosen = list(query.expertise) or [""]
    parts = ["SELECT 'total', '', '', n, 0 FROM total"]
    for facet, sql in _FACET_SQL.items():
        seen = f"b.{_FACET_FIELDS[facet]}_visibility <= b.level"
        small = "AND (SELECT n FROM total) <= %s"
        sql = sql.format(
            seen=seen,
            each=_each(_FACET_LISTS.get(facet, ""), f"WHERE {seen} {small}"),
            small=small,
            limit=FACET_ROWS[facet],
            chosen=", ".join(["%s"] * len(chosen)),
            **tables,
        )
        parts.append(f"SELECT '{facet}', f.*, 0 FROM ({sql}) AS f")
        params += [FACET_LIMIT, *(chosen if facet == "expertise" else [])]  # in SQL order
    # The page's ids in order, then its cards' tags (slug, name, profile id, tag id).
    parts.append("SELECT 'page', '', '', id, position FROM page")
    parts.append(
        "SELECT 'tag', g.slug, g.name, e.content_object_id, g.id FROM page "
        f"JOIN {ExpertiseTag._meta.db_table} e ON e.content_object_id = page.id "
        f"JOIN {tag_table} g ON g.id = e.tag_id"
    )
    names = ", ".join(["id", "country", "type_id", *lists, *levels, "level", *sort])
    statement = (
        f"WITH base ({names}) AS MATERIALIZED ({base_sql}), "
        f"total AS (SELECT COUNT(*) AS n FROM base), page AS ({page_sql}) "
        + " UNION ALL ".join(parts)
    )
    return statement, params


def _facet_rows(found: dict[str, list[tuple]]) -> dict[str, list[dict]]:
    """Each facet's rows as {value, label, count}, labelled in the active language."""
    language_names = dict(LANGUAGE_CHOICES)
    facets = {}
    for facet, items in found.items():
        # UNION ALL keeps no order: each facet is sorted again as its SQL sorted it.
        by_label = facet in ("stakeholder_type", "expertise", "cluster")
        items.sort(key=lambda item: (-item[2], item[1] if by_label else item[0]))
        if facet == "country":
            items = [(value, country_name(value), count) for value, _l, count in items]
        elif facet == "language":
            items = [(value, language_names.get(value, value), count) for value, _l, count in items]
        else:
            items = [(value, label(name), count) for value, name, count in items]
        facets[facet] = [
            {"value": value, "label": text, "count": count} for value, text, count in items
        ]
    return facets


def _page_index(page_number: str | int | None) -> int:
    """The zero-based page Paginator.get_page would pick: the first for anything but a
    number, the last for a number below one (the statement clamps it to the last page)."""
    try:
        number = int(page_number)
    except (TypeError, ValueError):
        return 0
    return number - 1 if number >= 1 else 10**9


def _everyone_page(
    viewer: privacy.Viewer, query: DirectoryQuery, page_number: str | int | None
) -> tuple[int, list[int]] | None:
    """With no filter at all: the total, then (over FACET_LIMIT, where no facet is counted)
    the page's ids walked along the name or newest index, without gathering every listed
    member as the one-statement path would. None when the total is small enough for it."""
    if query.is_filtered:
        return None
    listed = _filtered(viewer, query)
    total = listed.count()
    if total <= FACET_LIMIT:
        return None
    paginator = Paginator(range(total), PAGE_SIZE)
    start = (paginator.get_page(page_number).number - 1) * PAGE_SIZE
    keys = [expression.desc() if desc else expression.asc() for expression, desc in
            _order_keys(listed, query)]  # fmt: skip
    ids = list(listed.order_by(*keys).values_list("pk", flat=True)[start : start + PAGE_SIZE])
    return total, ids


def search_directory(
    *, viewer: privacy.Viewer, query: DirectoryQuery, page_number: str | int | None = 1
) -> DirectoryPage:
    """One page of the directory for `viewer`, with cards and facet counts.

    A fixed number of queries whatever the page holds: one statement for the total, the
    facet counts, the page's ids and their tags (`_results_sql`; with no filter at all, a
    count first and, for a large network, the page and its tags alone), then, when
    anything matched, the page's profiles.
    """
    found: dict[str, list[tuple]] = {facet: [] for facet in FACETS}
    tags: dict[int, list] = {}
    everyone = _everyone_page(viewer, query, page_number)
    if everyone is not None:
        total, ids = everyone
        for item in ExpertiseTag.objects.filter(content_object__in=ids).select_related("tag"):
            tags.setdefault(item.content_object_id, []).append(item.tag)
    else:
        statement, params = _results_sql(viewer, query, _page_index(page_number))
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
        total, page_ids = 0, []
        for kind, value, label, number, position in rows:
            if kind == "total":
                total = number
            elif kind == "page":
                page_ids.append((position, number))
            elif kind == "tag":
                tags.setdefault(number, []).append(CardTag(id=position, slug=value, name=label))
            else:
                found[kind].append((value, label, number))
        ids = [pk for _position, pk in sorted(page_ids)]
    profiles = {}
    if ids:
        profiles = {profile.pk: profile for profile in _cards(Profile.objects.filter(pk__in=ids))}
    cards = []
    for pk in ids:
        if pk not in profiles:
            continue
        view = privacy.see(
            viewer, profiles[pk], only=privacy.CARD_FIELDS, expertise=tags.get(pk, [])
        )
        if view is not None:
            cards.append(view)
    paginator = Paginator([], PAGE_SIZE)
    paginator.count = total  # counted above, with the facets
    page = paginator.get_page(page_number)
    page.object_list = cards
    return DirectoryPage(
        page=page,
        cards=cards,
        # Counting every facet over tens of thousands of members would cost more than the
        # rest of the page together: counts appear once the results are narrowed.
        facets=_facet_rows(found) if total <= FACET_LIMIT else {},
        total=total,
    )


def get_member_profile(*, viewer: privacy.Viewer, username: str) -> privacy.MemberView | None:
    """The member's page as `viewer` may see it; None when it must look absent."""
    profile = (
        Profile.objects.select_related("user", "stakeholder_type")
        .prefetch_related(_tagged(), "clusters", "protocols", "languages", "user__cohorts")
        .filter(user__username=username)
        .first()
    )
    if profile is None:
        return None
    return privacy.see(viewer, profile)


def get_own_country(*, member: User) -> str:
    return Profile.objects.filter(user=member).values_list("country", flat=True).first() or ""


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


def list_reports(*, viewer: User, resolved: bool = False) -> QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=not resolved).select_related(
        "reporter", "member", "resolved_by"
    )
