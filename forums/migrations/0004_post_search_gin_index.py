"""The GIN index over posts' stored search vectors: PostgreSQL only (SQLite searches by
substring and has no tsvector), so it is created by SQL that runs only there."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS forums_post_search_gin "
            "ON forums_post USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS forums_post_search_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0003_topictag_category_last_post_at_category_post_count_and_more"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
