"""The profiles behind member cards (directory, suggestions), loaded with exactly what a
card shows (privacy.CARD_FIELDS), in a fixed number of queries.
"""

from functools import cache

from django.db import connection
from django.db.models import Model, Prefetch, QuerySet

from profiles.models import ExpertiseTag, Profile, User


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


# card_profiles by id for the directory's page, without the ORM building the same statement
# each time: its text does not change (the ids go in as one parameter), so it is written
# once per process, and the instances are made with Model.from_db, as the ORM makes them
# (measured: about 1 ms less of CPU per directory page, which builds the statement and
# binds twenty ids otherwise).


def _card_fields(model: type[Model], prefix: str) -> list[str]:
    """The attnames of `model` a card needs, in the model's own order (from_db's)."""
    names = {name.removeprefix(prefix) for name in CARD_COLUMNS if name.startswith(prefix)}
    if prefix == "":
        names = {name for name in names if "__" not in name} | {"id", "user", "stakeholder_type"}
    else:
        names.add("id")
    return [field.attname for field in model._meta.concrete_fields if field.name in names]


@cache
def _cards_statement(vendor: str) -> tuple[str, list[tuple[type[Model], list[str]]]]:
    """The statement for cards by id on `vendor`, and each model's attnames in its columns."""
    kinds = Profile.stakeholder_type.field.related_model
    tables = [(Profile, "p", ""), (User, "u", "user__"), (kinds, "k", "stakeholder_type__")]
    columns, models = [], []
    for model, alias, prefix in tables:
        names = _card_fields(model, prefix)
        models.append((model, names))
        columns += [f"{alias}.{model._meta.get_field(name).column}" for name in names]
    profile_user = Profile._meta.get_field("user").column
    profile_kind = Profile._meta.get_field("stakeholder_type").column
    among = "= ANY(%s)" if vendor == "postgresql" else "IN (SELECT value FROM json_each(%s))"
    sql = (
        f"SELECT {', '.join(columns)} FROM {Profile._meta.db_table} p "
        f"JOIN {User._meta.db_table} u ON u.id = p.{profile_user} "
        f"LEFT JOIN {kinds._meta.db_table} k ON k.id = p.{profile_kind} WHERE p.id {among}"
    )
    return sql, models


def card_profiles_by_id(ids: list[int]) -> dict[int, Profile]:
    """The profiles `card_profiles` loads, for these ids, by id (one query)."""
    if not ids:
        return {}
    sql, models = _cards_statement(connection.vendor)
    if connection.vendor == "postgresql":
        ids_param = list(ids)
    else:
        ids_param = "[" + ",".join(str(int(pk)) for pk in ids) + "]"
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids_param])
        rows = cursor.fetchall()
    (_profile, profile_names), (_user, user_names), (kinds, kind_names) = models
    profiles = {}
    ends = (len(profile_names), len(profile_names) + len(user_names))
    for row in rows:
        profile = Profile.from_db(connection.alias, profile_names, row[: ends[0]])
        profile.user = User.from_db(connection.alias, user_names, row[ends[0] : ends[1]])
        if profile.stakeholder_type_id is not None:
            profile.stakeholder_type = kinds.from_db(connection.alias, kind_names, row[ends[1] :])
        profiles[profile.pk] = profile
    return profiles
