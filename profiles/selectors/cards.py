"""The profiles behind member cards (directory, suggestions), loaded with exactly what a
card shows (privacy.CARD_FIELDS), in a fixed number of queries.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.db import DEFAULT_DB_ALIAS
from django.db.models import DEFERRED, Model, Prefetch, QuerySet

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


# card_profiles for the directory's page, without the ORM building the same query each time:
# the directory's statement selects these columns with each row of its page (card_select),
# and the instances are made with Model.from_db, as the ORM makes them (measured: about 1 ms
# less of CPU per directory page than building the query, and one query fewer).


def _card_fields(model: type[Model], prefix: str) -> list[str]:
    """The attnames of `model` a card needs, in the model's own order (from_db's)."""
    names = {name.removeprefix(prefix) for name in CARD_COLUMNS if name.startswith(prefix)}
    if prefix == "":
        names = {name for name in names if "__" not in name} | {"id", "user", "stakeholder_type"}
    else:
        names.add("id")
    return [field.attname for field in model._meta.concrete_fields if field.name in names]


@dataclass(frozen=True)
class _Loaded:
    """One model's card columns, and where each goes among all its fields."""

    model: type[Model]
    names: tuple[str, ...]
    positions: tuple[int, ...]
    deferred: tuple  # DEFERRED for each of the model's fields

    def instance(self, values: Sequence) -> Model:
        """The instance from_db makes of these values, every other field deferred.

        Handed a value (or DEFERRED) for every field, from_db does not look each field up
        among the names loaded; and the alias is a constant, not request-local state read per
        instance (measured together: 44 -> 26 us per card's three instances)."""
        fields = list(self.deferred)
        for position, value in zip(self.positions, values, strict=True):
            fields[position] = value
        # The directory's statements run on the default connection (django.db.connection).
        return self.model.from_db(DEFAULT_DB_ALIAS, self.names, fields)


@dataclass(frozen=True)
class CardSelect:
    """What a statement adds to select a card's profile with each of its rows.

    `columns`: the profile's, its user's and its stakeholder type's card columns, which
    `joins(profile_id)` reach from a profile id column.
    """

    columns: str
    joins_template: str
    models: tuple[_Loaded, _Loaded, _Loaded]  # profile, user, stakeholder type

    def joins(self, profile_id: str) -> str:
        return self.joins_template.format(profile_id=profile_id)

    @property
    def width(self) -> int:
        return sum(len(loaded.names) for loaded in self.models)

    def profile(self, row: Sequence) -> Profile:
        """The Profile (with its user and stakeholder type) of one row of `columns`."""
        profile_columns, user_columns, kind_columns = self.models
        ends = (len(profile_columns.names), len(profile_columns.names) + len(user_columns.names))
        profile = profile_columns.instance(row[: ends[0]])
        profile.user = user_columns.instance(row[ends[0] : ends[1]])
        if profile.stakeholder_type_id is not None:
            profile.stakeholder_type = kind_columns.instance(row[ends[1] :])
        return profile


@cache
def card_select() -> CardSelect:
    kinds = Profile.stakeholder_type.field.related_model
    tables = [(Profile, "p", ""), (User, "u", "user__"), (kinds, "k", "stakeholder_type__")]
    columns, models = [], []
    for model, alias, prefix in tables:
        names = _card_fields(model, prefix)
        attnames = [field.attname for field in model._meta.concrete_fields]
        positions = tuple(attnames.index(name) for name in names)
        deferred = (DEFERRED,) * len(attnames)
        models.append(_Loaded(model, tuple(names), positions, deferred))
        columns += [f"{alias}.{model._meta.get_field(name).column}" for name in names]
    profile_user = Profile._meta.get_field("user").column
    profile_kind = Profile._meta.get_field("stakeholder_type").column
    joins = (
        f"JOIN {Profile._meta.db_table} p ON p.id = {{profile_id}} "
        f"JOIN {User._meta.db_table} u ON u.id = p.{profile_user} "
        f"LEFT JOIN {kinds._meta.db_table} k ON k.id = p.{profile_kind}"
    )
    return CardSelect(columns=", ".join(columns), joins_template=joins, models=tuple(models))
