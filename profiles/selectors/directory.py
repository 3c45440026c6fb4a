"""The peer directory: filters, text search, facet counts and one page of cards.

Every read takes the viewer and goes through profiles.privacy, so hidden members and hidden
fields never match, count or show.
"""

from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection

from profiles import facet_keys, privacy
from profiles.languages import LANGUAGE_CHOICES
from profiles.models import ExpertiseTag, Profile
from profiles.selectors.cards import card_select
from profiles.selectors.directory_filters import (
    DirectoryQuery,
    matching_entries,
    order_keys,
    search_words,
)
from profiles.selectors.statements import Markers, ShapedStatements
from taxonomy.labels import country_namer, labeller

PAGE_SIZE = 20
FACET_LIMIT = 5000  # results above this show no counts (see search_directory)
FACETS = ("country", "stakeholder_type", "expertise", "language", "cluster")


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


# How many values of each facet to show at most.
FACET_ROWS = {"country": 15, "stakeholder_type": 15, "expertise": 15, "language": 10, "cluster": 15}
# Each facet's rows read from the CTE `counted` (see _results_sql): one row (k, n) per facet
# value, k its key without the visibility. {value} is the value in k; labels are joined after
# counting, so a label is read once per value, not once per member. A code's number sorts as
# the code does.
_FACET_SQL = {
    "country": "SELECT {code}, '', c.n FROM counted c WHERE {range} ORDER BY 3 DESC, c.k",
    "stakeholder_type": (
        "SELECT t.slug, t.name, c.n FROM counted c JOIN {type} t ON t.id = {value} "
        "WHERE {range} ORDER BY 3 DESC, 2"
    ),
    "expertise": (
        "SELECT g.slug, g.name, c.n FROM counted c JOIN {tag} g ON g.id = {value} "
        "WHERE {range} AND g.slug NOT IN ({chosen}) ORDER BY 3 DESC, 2"
    ),
    "language": "SELECT {code}, '', c.n FROM counted c WHERE {range} ORDER BY 3 DESC, c.k",
    "cluster": (
        "SELECT g.slug, g.name, c.n FROM counted c JOIN {cluster} g ON g.id = {value} "
        "WHERE {range} ORDER BY 3 DESC, 2"
    ),
}


def _counted_sql() -> str:
    """Every facet value of the results with how many members count under it: one row
    (k, n) per value. A member counts under a value where the viewer may see the field it
    belongs to: a key below (level + 1) * VISIBILITY_STEP (see profiles.facet_keys). Only
    while the results are few enough to be counted (FACET_LIMIT, the statement's one
    parameter here).

    On PostgreSQL the array is unnested in the select list: a function in FROM would
    materialise each member's list on its own (measured: a search with 2,300 results
    31 -> 23 ms for the whole statement)."""
    step = facet_keys.VISIBILITY_STEP
    if connection.vendor == "postgresql":
        each = "SELECT unnest(b.facet_keys) AS k, b.level FROM base b"
    else:
        each = "SELECT j.value AS k, b.level FROM base b, json_each(b.facet_keys) AS j"
    return (
        f"SELECT e.k %% {step} AS k, COUNT(*) AS n "
        f"FROM ({each} WHERE (SELECT n FROM total) <= %s) AS e "
        f"WHERE e.k < (e.level + 1) * {step} GROUP BY 1"
    )


def _results_sql(
    viewer: privacy.Viewer, query: DirectoryQuery, offset: int, facets: bool = True
) -> tuple[str, list]:
    """One statement for the total, every facet's counts, one page's cards and their tags.

    The results are computed once, as a materialised CTE of ids with their sort keys, facet
    keys and the viewer's level, all built from profiles.privacy by `matching_entries` and
    `level_expression`. The total, the facet counts and the page then read that CTE: before,
    each of them ran the whole filter and privacy predicate again. Facets are counted once
    for all five (`counted`, see _counted_sql), and left out over FACET_LIMIT results. The
    page starts at `offset`, clamped to the last one, as Paginator.get_page does. Rows: (kind,
    value, label, number, position, then a card's columns on the page's rows). Every value is
    a parameter: see _statement.

    Without `facets`, the results are not gathered at all: the total is counted and the page
    walked along the sort's index, as PostgreSQL plans them (for the whole directory, where
    gathering tens of thousands of members would cost more than the rest of the page).
    """
    base = matching_entries(viewer, query)
    keys = order_keys(base, query)
    sort = {f"sort_{number}": expression for number, (expression, _desc) in enumerate(keys)}
    # The viewer's level for each row (privacy.level_expression): a facet counts a member
    # where `<field>_visibility <= level`, which is privacy.field_visible_q.
    columns = ["pk", "facet_keys", "level", *sort]
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
    params = [*base_params, offset, offset]
    tag_table = ExpertiseTag.tag.field.related_model._meta.db_table
    tables = {
        "tag": tag_table,
        "type": Profile.stakeholder_type.field.related_model._meta.db_table,
        "cluster": Profile.clusters.field.related_model._meta.db_table,
    }
    chosen = list(query.expertise) or [""]
    # The page's ids in order, each with its card's columns (cards.card_select); every other
    # part pads them with NULLs. The page comes first: PostgreSQL types a UNION's columns from
    # its first parts, and NULL alone would be typed as text.
    card = card_select()
    padding = ", NULL" * card.width
    parts = [
        f"SELECT 'page', '', '', page.id, page.position, {card.columns} "
        f"FROM page {card.joins('page.id')}",
        f"SELECT 'total', '', '', n, 0{padding} FROM total",
    ]
    counted = ""
    if facets:
        counted = f", counted AS ({_counted_sql()})"
        params.append(FACET_LIMIT)
    for facet, sql in _FACET_SQL.items() if facets else ():
        first = facet_keys.FACET_NUMBERS[facet] * facet_keys.FACET_STEP
        value = f"(c.k - {first})"
        sql = sql.format(
            range=f"c.k >= {first} AND c.k < {first + facet_keys.FACET_STEP}",
            value=value,
            code=facet_keys.code_of(connection.vendor, value),
            chosen=", ".join(["%s"] * len(chosen)),
            **tables,
        )
        parts.append(
            f"SELECT '{facet}', f.*, 0{padding} FROM ({sql} LIMIT {FACET_ROWS[facet]}) AS f"
        )
        params += chosen if facet == "expertise" else []  # in SQL order
    # The page's cards' tags (slug, name, profile id, tag id).
    parts.append(
        f"SELECT 'tag', g.slug, g.name, e.content_object_id, g.id{padding} FROM page "
        f"JOIN {ExpertiseTag._meta.db_table} e ON e.content_object_id = page.id "
        f"JOIN {tag_table} g ON g.id = e.tag_id"
    )
    names = ", ".join(["id", "facet_keys", "level", *sort])
    statement = (
        f"WITH base ({names}) AS {'' if facets else 'NOT '}MATERIALIZED ({base_sql}), "
        f"total AS (SELECT COUNT(*) AS n FROM base), page AS ({page_sql}){counted} "
        + " UNION ALL ".join(parts)
    )
    return statement, params


STATEMENTS = ShapedStatements()


def _statement(
    viewer: privacy.Viewer, query: DirectoryQuery, offset: int, facets: bool = True
) -> tuple[str, list]:
    """_results_sql for this request, built once per shape of request and kept (statements).

    The shape: the viewer's (privacy.statement_shape), which filters are set, how many
    expertise tags and search words, the sort, and the constants the text holds.
    """
    viewer_shape = privacy.statement_shape(viewer)
    if viewer_shape is None:
        return _results_sql(viewer, query, offset, facets)
    words = search_words(query.q)
    markers = Markers()
    stand_in_viewer = privacy.stand_in(
        viewer,
        id_marker=markers.number(viewer.id),
        connections_marker=markers.number(sorted(viewer.connected_ids)),
        unlisted_marker=markers.number(sorted(viewer.unlisted_ids)),
    )

    def text(name: str, value: str) -> str:
        return markers.text(name, value) if value else ""

    stand_in_query = DirectoryQuery(
        q=" ".join(markers.text(f"word{n}", word) for n, word in enumerate(words)),
        country=text("country", query.country),
        expertise=[markers.text(f"tag{n}", slug) for n, slug in enumerate(query.expertise)],
        stakeholder_type=text("type", query.stakeholder_type),
        language=text("language", query.language),
        cluster=text("cluster", query.cluster),
        sort=query.sort,
    )
    offset_marker = markers.number(offset)
    shape = (
        viewer_shape,
        bool(query.country),
        bool(query.stakeholder_type),
        bool(query.language),
        bool(query.cluster),
        len(query.expertise),
        len(words),
        query.sort,
        facets,
        FACET_LIMIT,
        PAGE_SIZE,
    )
    return STATEMENTS.get(
        shape,
        markers,
        for_markers=lambda: _results_sql(stand_in_viewer, stand_in_query, offset_marker, facets),
        for_values=lambda: _results_sql(viewer, query, offset, facets),
    )


def _facet_rows(found: dict[str, list[tuple]]) -> dict[str, list[dict]]:
    """Each facet's rows as {value, label, count}, labelled in the active language."""
    language_names = dict(LANGUAGE_CHOICES)
    label, country_name = labeller(), country_namer()  # the active language read once
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


def _run(statement: tuple[str, list]) -> dict[str, list]:
    """The statement's rows by kind (_results_sql): "total": [n], "page": [(position, card
    profile)], "tag": [(slug, name, profile id, tag id)], and each facet: [(value, label,
    count)]."""
    rows: dict[str, list] = {"total": [0], "page": [], "tag": [], **{f: [] for f in FACETS}}
    card = card_select()
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        for kind, value, label, number, position, *card_columns in cursor.fetchall():
            if kind == "total":
                rows["total"] = [number]
            elif kind == "page":
                rows["page"].append((position, card.profile(card_columns)))
            elif kind == "tag":
                rows["tag"].append((value, label, number, position))
            else:
                rows[kind].append((value, label, number))
    return rows


def search_directory(
    *, viewer: privacy.Viewer, query: DirectoryQuery, page_number: str | int | None = 1
) -> DirectoryPage:
    """One page of the directory for `viewer`, with cards and facet counts.

    One statement whatever the page holds: the total, the facet counts, the page's cards
    and their tags (`_results_sql`). With no filter at all, the first has no counts, and a
    second statement counts them only for a small network.
    """
    offset = _page_index(page_number) * PAGE_SIZE
    # The whole directory is counted first, without facets: they are counted only where it
    # is small enough (a second statement).
    rows = _run(_statement(viewer, query, offset, facets=query.is_filtered))
    if not query.is_filtered and rows["total"][0] <= FACET_LIMIT:
        rows = _run(_statement(viewer, query, offset))
    total = rows["total"][0]
    found = {facet: rows[facet] for facet in FACETS}
    tags: dict[int, list] = {}
    for slug, name, profile_id, tag_id in rows["tag"]:
        tags.setdefault(profile_id, []).append(CardTag(id=tag_id, slug=slug, name=name))
    cards = []
    for _position, profile in sorted(rows["page"], key=itemgetter(0)):
        view = privacy.see(
            viewer, profile, only=privacy.CARD_FIELDS, expertise=tags.get(profile.pk, [])
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
