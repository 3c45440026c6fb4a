"""DirectoryEntry.facet_keys: each facet value with its field's visibility, one number each,
kept by refresh_directory and filled by migration 0007; the facet counts read them, each
member counted only under the fields the viewer may see."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_countries import countries

from profiles import facet_keys, privacy, selectors, services
from profiles.languages import LANGUAGE_CODES
from profiles.models import DirectoryEntry, Profile
from profiles.selectors import DirectoryQuery
from taxonomy.models import Cluster, StakeholderType
from tests.profiles.factories import CONNECTIONS, EVERYONE, MEMBERS, ONLY_ME, connect, member_with

# The layout as profiles.facet_keys documents it, written out again so the test checks it.
VISIBILITY_STEP, FACET_STEP = 2**40, 2**32
FACET_NUMBERS = {1: "country", 2: "stakeholder_type", 3: "expertise", 4: "language", 5: "cluster"}


def decoded(keys: list[int]) -> set[tuple]:
    """(facet, value, visibility) for each key; codes as their two letters."""
    found = set()
    for key in keys:
        visibility, rest = divmod(key, VISIBILITY_STEP)
        number, value = divmod(rest, FACET_STEP)
        facet = FACET_NUMBERS[number]
        if facet in ("country", "language"):
            value = chr(value // 256) + chr(value % 256)
        found.add((facet, value, visibility))
    return found


def keys_of(member) -> set[tuple]:
    return decoded(DirectoryEntry.objects.get(user=member).facet_keys)


def counts(viewer, facet: str, **query) -> dict[str, int]:
    found = selectors.search_directory(
        viewer=privacy.viewer_for(viewer), query=DirectoryQuery(**query)
    )
    return {row["value"]: row["count"] for row in found.facets.get(facet, [])}


@pytest.mark.django_db
def test_an_entry_keeps_each_value_with_its_fields_visibility_and_follows_every_change():
    cluster = Cluster.objects.order_by("pk").first()
    kind = StakeholderType.objects.get(slug="academic-institution")
    ada = member_with(
        display_name="Ada Keys",
        country="KE",
        stakeholder_type=kind,
        expertise=["corruption"],
        languages=["en", "sw"],
        clusters=[cluster],
        country_visibility=EVERYONE,
        stakeholder_type_visibility=MEMBERS,
        expertise_visibility=CONNECTIONS,
        languages_visibility=ONLY_ME,
        interests_visibility=MEMBERS,
    )
    corruption = Profile.objects.get(user=ada).expertise_items.get().tag_id
    assert keys_of(ada) == {
        ("country", "KE", EVERYONE),
        ("stakeholder_type", kind.pk, MEMBERS),
        ("expertise", corruption, CONNECTIONS),
        ("language", "en", ONLY_ME),
        ("language", "sw", ONLY_ME),
        ("cluster", cluster.pk, MEMBERS),
    }

    services.update_profile(
        member=ada,
        data={"country": "", "languages": ["fr"], "languages_visibility": EVERYONE},
    )
    assert ("country", "KE", EVERYONE) not in keys_of(ada)
    assert {key for key in keys_of(ada) if key[0] == "language"} == {("language", "fr", EVERYONE)}


@pytest.mark.django_db
def test_each_viewer_counts_a_member_under_the_fields_they_may_see_only():
    ada = member_with(
        display_name="Ada Counted",
        country="KE",
        languages=["sw"],
        expertise=["corruption"],
        languages_visibility=CONNECTIONS,
        expertise_visibility=ONLY_ME,
    )
    stranger = member_with(display_name="Sam Stranger", country="GH")
    friend = member_with(display_name="Fay Friend", country="GH")
    connect(ada, friend)

    assert counts(stranger, "language", q="ada") == {}
    assert counts(stranger, "expertise", q="ada") == {}
    assert counts(friend, "language", q="ada") == {"sw": 1}
    assert counts(friend, "expertise", q="ada") == {}
    assert counts(ada, "language", q="ada") == {"sw": 1}
    assert counts(ada, "expertise", q="ada") == {"corruption": 1}
    assert counts(stranger, "country", q="ada") == {"KE": 1}


def test_every_code_the_product_accepts_fits_the_two_letter_layout():
    codes = [*LANGUAGE_CODES, *(code for code, _name in countries)]
    assert all(len(code) == 2 and code.isascii() and code.isalpha() for code in codes)


@pytest.mark.django_db(transaction=True)
def test_migration_0007_fills_the_keys_refresh_directory_writes():
    member_with(
        display_name="Ada Migrated",
        country="KE",
        expertise=["corruption", "cybercrime"],
        languages=["en", "fr"],
        clusters=[Cluster.objects.order_by("pk").first()],
        expertise_visibility=CONNECTIONS,
    )
    member_with(display_name="Bo Bare")
    written = {entry.pk: sorted(entry.facet_keys) for entry in DirectoryEntry.objects.all()}
    assert any(written.values())
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("profiles")
    try:
        executor.migrate([("profiles", "0006_directory_lists_as_arrays")])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    filled = {entry.pk: sorted(entry.facet_keys) for entry in DirectoryEntry.objects.all()}
    assert filled == written


def test_the_layout_in_use_is_the_documented_one():
    assert (facet_keys.VISIBILITY_STEP, facet_keys.FACET_STEP) == (VISIBILITY_STEP, FACET_STEP)
    assert {n: f for f, n in facet_keys.FACET_NUMBERS.items()} == FACET_NUMBERS
    assert set(facet_keys.FACET_FIELDS.values()) <= set(Profile.PRIVATE_FIELDS)
