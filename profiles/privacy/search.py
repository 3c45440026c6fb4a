"""The searchable text of a member, cut at the level it is seen at: on Profile for one
viewer, and stored on DirectoryEntry for each level (written by services.refresh_directory)."""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce

from profiles.models import Visibility
from profiles.privacy.queries import field_visible_q
from profiles.privacy.viewers import ANY_MEMBER_LEVEL, AnyUser, Viewer


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
