from django.db import migrations, models

import profiles.fields

# Each directory entry's facet values as one list of numbers, which the facet counts read
# (see profiles.facet_keys, whose layout this fill states as it is today: a later change to
# it reaches stored rows through services.refresh_directory, manage.py rebuild_member_search).
# Filled from the entry's own columns; on PostgreSQL this writes every row again, and
# `VACUUM FULL profiles_directoryentry` gives back the room (a few seconds at 50,000 members).
# Follow it with a plain `VACUUM ANALYZE profiles_directoryentry`: VACUUM FULL leaves the
# visibility map empty, and until it is set again the directory's totals read the whole table
# instead of an index (at 50,000 members: 3,745 pages instead of 185 for "everyone").

VISIBILITY_STEP, FACET_STEP = 2**40, 2**32
# (facet number, visibility column, list column or None for a single value)
LISTS = [
    (3, "expertise_visibility", "tag_ids"),
    (4, "languages_visibility", "language_codes"),
    (5, "interests_visibility", "cluster_ids"),
]


def fill_keys(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    ord_ = "ascii" if postgres else "unicode"

    def code_number(code: str) -> str:
        return f"({ord_}(substr({code}, 1, 1)) * 256 + {ord_}(substr({code}, 2, 1)))"

    def key(facet: int, visibility: str, value: str) -> str:
        return f"CAST({visibility} AS bigint) * {VISIBILITY_STEP} + {facet * FACET_STEP} + {value}"

    parts = [
        f"SELECT {key(1, 'country_visibility', code_number('country'))} AS k WHERE country <> ''",
        f"SELECT {key(2, 'stakeholder_type_visibility', 'stakeholder_type_id')}"
        " WHERE stakeholder_type_id IS NOT NULL",
    ]
    for facet, visibility, column in LISTS:
        items, element = (
            (f"unnest({column}) AS item", "item") if postgres else (f"json_each({column}) AS item", "item.value")
        )
        if column == "language_codes":
            element = code_number(element)
        parts.append(f"SELECT {key(facet, visibility, element)} FROM {items}")
    union = " UNION ALL ".join(parts)
    keys = (
        f"ARRAY(SELECT keys.k FROM ({union}) AS keys)"
        if postgres
        else f"(SELECT json_group_array(keys.k) FROM ({union}) AS keys)"
    )
    schema_editor.execute(f"UPDATE profiles_directoryentry SET facet_keys = {keys}")


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0006_directory_lists_as_arrays"),
    ]

    operations = [
        migrations.AddField(
            model_name="directoryentry",
            name="facet_keys",
            field=profiles.fields.ValueList(
                base_field=models.BigIntegerField(), default=list, size=None
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
