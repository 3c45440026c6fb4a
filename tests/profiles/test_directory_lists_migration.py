"""Migration 0006 turns the directory's tag, language and cluster lists into arrays
(PostgreSQL; JSON text on SQLite) and back: the lists survive both ways, and the directory
filters and counts on them as before."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from profiles import privacy, selectors
from profiles.selectors import DirectoryQuery
from taxonomy.models import Cluster
from tests.profiles.factories import member_with

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("profiles", "0005_directory_entries")]
LISTS = ("tag_ids", "language_codes", "cluster_ids")


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def stored_lists() -> dict[int, tuple]:
    """Each entry's lists as sets, read without the model (whose field is not the one in the
    database while migrated back)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT profile_id, {', '.join(LISTS)} FROM profiles_directoryentry")
        rows = cursor.fetchall()
    return {
        profile_id: tuple(
            frozenset(json.loads(value) if isinstance(value, str) else value) for value in values
        )
        for profile_id, *values in rows
    }


def test_the_lists_survive_the_migration_both_ways_and_still_filter():
    cluster = Cluster.objects.order_by("pk").first()
    ada = member_with(
        display_name="Ada Lists",
        country="KE",
        expertise=["corruption", "cybercrime"],
        languages=["en", "fr"],
        clusters=[cluster],
    )
    member_with(display_name="Bo Empty", country="KE")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("profiles")
    stored = stored_lists()
    assert stored[ada.profile.pk][1] == {"en", "fr"}
    assert len(stored[ada.profile.pk][0]) == 2

    try:
        migrate(BEFORE)
        assert stored_lists() == stored  # back as JSON lists, the same values
    finally:
        migrate(latest)
    assert stored_lists() == stored

    viewer = privacy.viewer_for(member_with(display_name="Vi Ewer", country="KE"))
    found = selectors.search_directory(
        viewer=viewer, query=DirectoryQuery(expertise=["cybercrime"], language="fr")
    )
    assert [card.name for card in found.cards] == ["Ada Lists"]
    languages = {row["value"]: row["count"] for row in found.facets["language"]}
    assert languages == {"en": 1, "fr": 1}
