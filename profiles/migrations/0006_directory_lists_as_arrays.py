from django.db import migrations, models

import profiles.fields

# DirectoryEntry's tag, language and cluster lists become arrays on PostgreSQL (JSON text on
# SQLite, as before): the facet counts unnest arrays faster (see profiles.fields.ValueList).
# The columns are derived, so they are dropped, made again and filled from the relations they
# mirror, with their GIN indexes (PostgreSQL; the filters test them with @>). Filling them
# writes every row again: on PostgreSQL the table takes twice its room until
# `VACUUM FULL profiles_directoryentry` gives it back (a few seconds at 50,000 members).

LISTS = [
    ("tag_ids", "tag_id", "profiles_expertisetag", "content_object_id"),
    ("language_codes", "code", "profiles_spokenlanguage", "profile_id"),
    ("cluster_ids", "cluster_id", "profiles_profile_clusters", "profile_id"),
]


def fill_lists(schema_editor, aggregate: str, empty: str, index: str) -> None:
    # The indexes first: an UPDATE leaves deferred foreign-key checks pending, and PostgreSQL
    # refuses to index a table with pending checks in the same transaction. An array's GIN
    # index is not partial (WHERE listed, as the JSON ones were): it can be read whole, and
    # the planner would read one whole to find the listed rows of every search (+5 ms).
    if schema_editor.connection.vendor == "postgresql":
        for column, *_rest in LISTS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS profiles_directoryentry_{column}_gin"
                f" ON profiles_directoryentry USING {index.format(column)}"
            )
    # One UPDATE for the three: each writes a new version of every row.
    schema_editor.execute(
        "UPDATE profiles_directoryentry SET "
        + ", ".join(
            f"{column} = COALESCE((SELECT {aggregate.format(value)} FROM {table}"
            f" WHERE {table}.{owner} = profiles_directoryentry.profile_id), {empty})"
            for column, value, table, owner in LISTS
        )
    )


def fill_arrays(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        fill_lists(schema_editor, "array_agg({0})", "'{}'", "gin ({0})")
    else:
        fill_lists(schema_editor, "json_group_array({0})", "'[]'", "")


def fill_json_lists(apps, schema_editor):
    """Back to 0005's JSON lists (migrating backwards)."""
    if schema_editor.connection.vendor == "postgresql":
        fill_lists(
            schema_editor, "jsonb_agg({0})", "'[]'::jsonb", "gin ({0} jsonb_path_ops) WHERE listed"
        )
    else:
        fill_lists(schema_editor, "json_group_array({0})", "'[]'", "")


def value_list(column: str) -> models.Field:
    if column == "language_codes":
        base_field = models.CharField(max_length=10)
    else:
        base_field = models.IntegerField()
    return profiles.fields.ValueList(base_field=base_field, default=list, size=None)


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0005_directory_entries"),
    ]

    operations = [
        # Backwards, this runs last: the JSON columns are back, and empty.
        migrations.RunPython(migrations.RunPython.noop, fill_json_lists),
        *(
            migrations.RemoveField(model_name="directoryentry", name=column)
            for column, *_rest in LISTS
        ),
        *(
            migrations.AddField(model_name="directoryentry", name=column, field=value_list(column))
            for column, *_rest in LISTS
        ),
        migrations.RunPython(fill_arrays, migrations.RunPython.noop),
    ]
