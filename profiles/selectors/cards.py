"""The profiles behind member cards (directory, suggestions), loaded with exactly what a
card shows (privacy.CARD_FIELDS), in a fixed number of queries.
"""

from django.db.models import Prefetch, QuerySet

from profiles.models import ExpertiseTag, Profile


def tagged() -> Prefetch:
    """A profile's expertise as privacy.see reads it: the tagged rows with their tags."""
    return Prefetch("expertise_items", queryset=ExpertiseTag.objects.select_related("tag"))


# The columns privacy.see reads to build a card: loading only these halves the cost of
# building the page's model instances. A card template reading another column would cost a
# query per card, which tests/profiles/test_query_counts.py would notice.
CARD_COLUMNS = (
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


def card_profiles(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """Profiles with what a card shows (privacy.CARD_FIELDS) but their tags."""
    return queryset.select_related("user", "stakeholder_type").only(*CARD_COLUMNS)


def card_profiles_with_tags(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """What a card shows (privacy.CARD_FIELDS), in a fixed number of queries."""
    return card_profiles(queryset).prefetch_related(tagged())
