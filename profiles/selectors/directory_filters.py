"""Which directory entries match a search, for a viewer, and in what order.

Each filter and each search word applies to a field only where the viewer may see it
(profiles.privacy), so a hidden value never matches.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from taggit.models import Tag

from profiles import privacy
from profiles.models import DirectoryEntry, ExpertiseTag, Profile, SpokenLanguage, Visibility
from taxonomy.models import Cluster


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


def search_words(text: str) -> list[str]:
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
    words = search_words(text)
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


def list_holds(column: str, values: list, relation: Callable[[], Q], *, any_of: bool = False) -> Q:
    """DirectoryEntry rows whose profile has all of `values` (any of them, with `any_of`) in a
    relation: tags, languages, clusters.

    On PostgreSQL through the entry's own list of those values (`column`, GIN indexed), which
    the planner can combine with the other filters' indexes; elsewhere through `relation()`.
    """
    if connection.vendor != "postgresql":
        return relation()
    return Q(**{f"{column}__{'overlap' if any_of else 'contains'}": list(values)})


def matching_entries(viewer: privacy.Viewer, query: DirectoryQuery) -> QuerySet[DirectoryEntry]:
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
                list_holds(
                    "tag_ids",
                    [tag_id],
                    lambda slug=slug: Q(
                        pk__in=ExpertiseTag.objects.filter(tag__slug=slug).values("content_object")
                    ),
                )
            )
    if query.language:
        code = query.language
        conditions.append(
            list_holds(
                "language_codes",
                [code],
                lambda: Q(pk__in=SpokenLanguage.objects.filter(code=code).values("profile")),
            )
            & visible(viewer, "languages")
        )
    if query.cluster:
        slug = query.cluster
        cluster_id = Subquery(Cluster.objects.filter(slug=slug).values("id")[:1])
        interested = Profile.clusters.through.objects
        conditions.append(
            list_holds(
                "cluster_ids",
                [cluster_id],
                lambda: Q(pk__in=interested.filter(cluster__slug=slug).values("profile")),
            )
            & visible(viewer, "interests")
        )
    queryset = privacy.listed_entries(viewer, DirectoryEntry.objects.filter(*conditions))
    if query.q:
        queryset = _search(viewer, queryset, query.q)
    return queryset


def order_keys(queryset: QuerySet[DirectoryEntry], query: DirectoryQuery) -> list[tuple]:
    """The directory's order as (expression, descending) pairs, ending on a unique key:
    by name (case-insensitive), newest first, or by relevance when searching."""
    if query.sort == "newest":
        return [(F("joined_at"), True), (F("user_id"), True)]
    if query.sort == "relevance" and "rank" in queryset.query.annotations:
        return [(F("rank"), True), (F("sort_name"), False), (F("user_id"), False)]
    return [(F("sort_name"), False), (F("user_id"), False)]
