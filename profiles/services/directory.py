"""The directory's own rows (DirectoryEntry), written from profiles, and its version,
which every change to who sees whom bumps."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.functions import Coalesce, Lower

from profiles import facet_keys, privacy
from profiles.models import (
    DirectoryEntry,
    ExpertiseTag,
    Profile,
    SpokenLanguage,
)

DIRECTORY_VERSION_KEY = "profiles:directory-version"


def directory_changed() -> None:
    """Say, once this transaction commits, that who-sees-whom may have changed: cached
    directory pages of every viewer are then stale (their keys carry the version)."""

    def bump() -> None:
        try:
            cache.incr(DIRECTORY_VERSION_KEY)
        except ValueError:  # not set yet, or evicted
            cache.set(DIRECTORY_VERSION_KEY, 2, timeout=None)

    transaction.on_commit(bump)


def refresh_directory(
    *, profile_ids: list[int] | None = None, user_ids: list[int] | None = None
) -> None:
    """Recompute what the directory reads from these profiles (or members'): after any change
    to a profile, its tags, languages or clusters, its member's name, or their membership
    (approval, suspension, deletion). Nothing given: every profile (after bulk inserts).

    First the full-text vectors (PostgreSQL only; name and organisation weigh more than the
    bio), then each profile's DirectoryEntry, in one INSERT ... SELECT built from
    profiles.privacy: whether the member is listed (privacy.listed_q) and the text that may be
    searched at each level (privacy.stored_search_vectors).
    """
    profiles = Profile.objects.all()
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=list(profile_ids))
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=list(user_ids))
    if settings.USES_POSTGRES:
        ids_sql, ids_params = profiles.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE profiles_profile AS p SET
                    name_search = setweight(
                        to_tsvector('simple', coalesce(u.display_name, '')), 'A'),
                    organisation_search = setweight(to_tsvector('simple', p.organisation), 'B'),
                    bio_search = setweight(to_tsvector('simple', p.bio), 'D')
                FROM profiles_user AS u
                WHERE u.id = p.user_id AND p.id IN ({ids_sql})
                """,
                ids_params,
            )
    _write_directory_entries(profiles)


class _ValueList(models.Aggregate):
    """The aggregated values as DirectoryEntry keeps a list (fields.ValueList): an array on
    PostgreSQL (array_agg), a JSON list elsewhere (json_group_array)."""

    function = "json_group_array"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="array_agg", **extra_context)


def _related_list(column: str, model: type[models.Model], owner: str, value: str):
    """`value` of the rows of `model` pointing at the profile (through `owner`), as the list
    DirectoryEntry keeps in `column`."""
    output_field = DirectoryEntry._meta.get_field(column).clone()
    rows = (
        model.objects.filter(**{owner: models.OuterRef("pk")})
        .order_by()
        .values(owner)
        .annotate(values=_ValueList(value, output_field=output_field))
        .values("values")
    )
    return Coalesce(
        models.Subquery(rows, output_field=output_field),
        models.Value([], output_field=output_field),
    )


# DirectoryEntry's columns, each with how it is read from a Profile row.
_ENTRY_COLUMNS = {
    "profile_id": models.F("pk"),
    "user_id": models.F("user_id"),
    "listed": models.ExpressionWrapper(privacy.listed_q(), output_field=models.BooleanField()),
    "sort_name": Lower("user__display_name"),
    "joined_at": models.F("user__date_joined"),
    "country": models.F("country"),
    "stakeholder_type_id": models.F("stakeholder_type_id"),
    **{
        f"{name}_visibility": models.F(f"{name}_visibility")
        for name in ("stakeholder_type", "country", "expertise", "interests", "languages")
    },
    "tag_ids": _related_list("tag_ids", ExpertiseTag, "content_object", "tag_id"),
    "language_codes": _related_list("language_codes", SpokenLanguage, "profile", "code"),
    "cluster_ids": _related_list("cluster_ids", Profile.clusters.through, "profile", "cluster_id"),
}


def _write_directory_entries(profiles: models.QuerySet) -> None:
    columns = dict(_ENTRY_COLUMNS)
    if settings.USES_POSTGRES:
        columns.update(privacy.stored_search_vectors())
    names = list(columns)
    aliases = {f"entry_{name}": expression for name, expression in columns.items()}
    select_sql, params = (
        profiles.order_by().annotate(**aliases).values_list(*aliases).query.sql_with_params()
    )
    # The facet keys, from the values and visibilities just read (facet_keys.keys_sql).
    keys = facet_keys.keys_sql(connection.vendor, {name: f"source.entry_{name}" for name in names})
    names.append("facet_keys")
    table = DirectoryEntry._meta.db_table
    updates = ", ".join(f"{name} = excluded.{name}" for name in names if name != "profile_id")
    with connection.cursor() as cursor:
        # "WHERE true": SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT.
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) "
            f"SELECT source.*, {keys} FROM ({select_sql}) AS source WHERE true "
            f"ON CONFLICT (profile_id) DO UPDATE SET {updates}",
            params,
        )
