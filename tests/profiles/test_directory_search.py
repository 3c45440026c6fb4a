"""Directory search: full-text with a GIN index and weights on PostgreSQL (name and
organisation above bio), a plain substring match on SQLite; hidden text never matches."""

import pytest
from django.db import connection

from profiles import privacy, selectors
from profiles.selectors import DirectoryQuery
from tests.profiles.factories import CONNECTIONS, member_with

pytestmark = pytest.mark.django_db


def search(viewer, text: str) -> list[str]:
    result = selectors.search_directory(
        viewer=privacy.viewer_for(viewer), query=DirectoryQuery(q=text)
    )
    return [card.name for card in result.cards]


def test_search_matches_names_organisations_and_bios(member):
    member_with(display_name="Nadia Haddad")
    member_with(display_name="Pierre Dubois", organisation="Observatoire des frontières")
    member_with(display_name="Ana Silva", bio="Works on *fisheries* crime.")

    assert search(member, "nadia") == ["Nadia Haddad"]
    assert search(member, "observatoire") == ["Pierre Dubois"]
    assert search(member, "fisheries") == ["Ana Silva"]


def test_every_word_must_match(member):
    member_with(display_name="Nadia Haddad", organisation="Coalition")
    member_with(display_name="Nadia Karimi")

    assert search(member, "nadia coalition") == ["Nadia Haddad"]


def test_a_hidden_organisation_or_bio_is_never_searched(member):
    member_with(display_name="Private Person", organisation="Secret Shelter",
                bio="Runs the lighthouse.", organisation_visibility=CONNECTIONS,
                bio_visibility=CONNECTIONS)  # fmt: skip

    assert search(member, "shelter") == []
    assert search(member, "lighthouse") == []
    assert search(member, "private") == ["Private Person"]


@pytest.mark.postgres
def test_a_name_match_ranks_above_a_bio_match(member):
    member_with(display_name="Zed Someone", bio="I once met Lagos people.")
    member_with(display_name="Ada Lagos")
    member_with(display_name="Bo Other", organisation="Lagos Legal Aid")

    assert search(member, "lagos") == ["Ada Lagos", "Bo Other", "Zed Someone"]


@pytest.mark.postgres
def test_words_match_by_prefix_and_in_any_case(member):
    member_with(display_name="Zainab Mwangi")

    assert search(member, "ZAI mwa") == ["Zainab Mwangi"]


@pytest.mark.postgres
def test_search_columns_have_gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'profiles_profile' "
            "AND indexdef ILIKE '%USING gin%'"
        )
        definitions = " ".join(row[0] for row in cursor.fetchall())

    for column in ["name_search", "organisation_search", "bio_search"]:
        assert column in definitions


@pytest.mark.postgres
def test_the_search_query_uses_full_text_matching(member):
    member_with(display_name="Amina Okafor")
    viewer = privacy.viewer_for(member)

    queryset = selectors.directory_filters.matching_entries(viewer, DirectoryQuery(q="amina"))

    assert "@@" in str(queryset.query)


def test_punctuation_alone_finds_everyone_rather_than_failing(member):
    member_with(display_name="Amina Okafor")

    assert "Amina Okafor" in search(member, "&|!:*")
