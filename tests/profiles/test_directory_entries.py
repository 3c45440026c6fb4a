"""The directory reads DirectoryEntry rows that the services keep in step with profiles,
their relations and memberships: whatever changes through a service shows at once, and the
stored rows always equal a fresh rebuild from the sources."""

import io

import pytest
from django.core.management import call_command

from profiles import privacy, selectors, services
from profiles.models import DirectoryEntry, Profile, User
from profiles.selectors import DirectoryQuery
from taxonomy.models import Cluster
from tests.factories import PendingUserFactory
from tests.profiles.factories import CONNECTIONS, ONLY_ME, connect, member_with

pytestmark = pytest.mark.django_db


def names(viewer, **query) -> list[str]:
    """The names listed, checked against the count: cards are checked again against the
    profile when shown, so a stale entry would show in the count before it shows a name."""
    result = selectors.search_directory(
        viewer=privacy.viewer_for(viewer), query=DirectoryQuery(sort="name", **query)
    )
    listed = [card.name for card in result.cards]
    assert result.total == len(listed)
    return listed


def stored_entries() -> list[tuple]:
    """Every entry as stored (lists sorted: their order carries no meaning)."""
    rows = []
    for entry in DirectoryEntry.objects.order_by("pk").values():
        for column in ("tag_ids", "language_codes", "cluster_ids", "facet_keys"):
            entry[column] = sorted(entry[column])
        rows.append(tuple(sorted(entry.items())))
    return rows


@pytest.fixture
def viewer():
    return member_with(display_name="Vi Ewer", country="KE")


def test_suspension_takes_a_member_out_of_the_directory_and_reinstatement_back(viewer, moderator):
    ada = member_with(display_name="Ada Kenya", country="KE", expertise=["corruption"])
    assert names(viewer, country="KE") == ["Ada Kenya", "Vi Ewer"]

    services.suspend_member(moderator=moderator, member=ada)
    assert names(viewer, country="KE") == ["Vi Ewer"]
    assert names(viewer, q="ada") == []

    services.reinstate_member(moderator=moderator, member=User.objects.get(pk=ada.pk))
    assert names(viewer, country="KE") == ["Ada Kenya", "Vi Ewer"]


def test_an_approved_applicant_appears_and_a_deleted_account_disappears(viewer, moderator):
    applicant = PendingUserFactory(display_name="Pat Pending")
    assert "Pat Pending" not in names(viewer)

    services.approve_member(member=applicant, moderator=moderator)
    assert "Pat Pending" in names(viewer)

    services.delete_account(member=User.objects.get(pk=applicant.pk))
    assert "Pat Pending" not in names(viewer)
    assert not DirectoryEntry.objects.filter(user=applicant).exists()


def test_new_tags_languages_and_clusters_are_filtered_and_counted_at_once(viewer):
    ada = member_with(display_name="Ada Kenya", country="KE", expertise=["corruption"])
    cluster = Cluster.objects.first()
    assert names(viewer, expertise=["victim-support"]) == []

    services.update_profile(
        member=ada,
        data={"expertise": ["victim-support"], "languages": ["sw"], "clusters": [cluster]},
    )

    assert names(viewer, expertise=["victim-support"]) == ["Ada Kenya"]
    assert names(viewer, expertise=["corruption"]) == []
    assert names(viewer, language="sw") == ["Ada Kenya"]
    assert names(viewer, cluster=cluster.slug) == ["Ada Kenya"]
    facets = selectors.search_directory(
        viewer=privacy.viewer_for(viewer), query=DirectoryQuery(country="KE")
    ).facets
    assert {row["value"]: row["count"] for row in facets["expertise"]} == {"victim-support": 1}
    assert {row["value"]: row["count"] for row in facets["language"]} == {"sw": 1}


def test_a_member_finds_their_own_private_words_and_nobody_else_does(viewer):
    ada = member_with(
        display_name="Ada Kenya", bio="Keeper of the lighthouse.", bio_visibility=ONLY_ME
    )
    connie = member_with(display_name="Connie Nection")
    connect(ada, connie)

    assert names(ada, q="lighthouse") == ["Ada Kenya"]
    assert names(connie, q="lighthouse") == []
    assert names(viewer, q="lighthouse") == []

    services.update_profile(member=ada, data={"bio_visibility": CONNECTIONS})
    assert names(connie, q="lighthouse") == ["Ada Kenya"]
    assert names(viewer, q="lighthouse") == []


def test_stored_entries_equal_a_fresh_rebuild_after_every_kind_of_change(viewer, moderator):
    ada = member_with(
        display_name="Ada Kenya",
        country="KE",
        organisation="Coalition",
        bio="About **me**.",
        expertise=["corruption", "Port Security"],
        languages=["en", "sw"],
        clusters=[Cluster.objects.first()],
        organisation_visibility=CONNECTIONS,
    )
    ben = member_with(display_name="Ben Shown", country="MX")
    cy = member_with(display_name="Cy Hidden", hidden_from_directory=True)
    services.update_profile(member=ada, data={"display_name": "Ada Renamed", "city": "Nairobi"})
    services.update_profile(member=cy, data={"hidden_from_directory": False})
    services.suspend_member(moderator=moderator, member=ben)
    services.set_member_details(member=viewer, country="FR", expertise=["corruption"])

    before = stored_entries()
    DirectoryEntry.objects.all().delete()
    call_command("rebuild_member_search", stdout=io.StringIO())

    assert stored_entries() == before
    assert DirectoryEntry.objects.count() == Profile.objects.count()


def test_a_listed_entry_is_exactly_a_listed_profile(viewer, moderator):
    member_with(display_name="Shown")
    member_with(display_name="Hidden", hidden_from_directory=True)
    suspended = member_with(display_name="Suspended")
    services.suspend_member(moderator=moderator, member=suspended)
    PendingUserFactory(display_name="Pending")

    everyone = privacy.viewer_for(None)
    listed = privacy.listed_profiles(everyone, Profile.objects.all())
    assert set(DirectoryEntry.objects.filter(listed=True).values_list("pk", flat=True)) == set(
        listed.values_list("pk", flat=True)
    )


def test_pages_past_the_end_or_below_one_show_the_last_page_as_paginator_does(viewer):
    for number in range(25):
        member_with(display_name=f"Page Member {number:02d}", country="BR")
    query = DirectoryQuery(country="BR", sort="name")
    v = privacy.viewer_for(viewer)

    last = selectors.search_directory(viewer=v, query=query, page_number=2)
    assert len(last.cards) == 5 and last.page.number == 2
    for asked in (3, 99, 0, -1):
        page = selectors.search_directory(viewer=v, query=query, page_number=asked)
        assert page.page.number == 2, asked
        assert [c.name for c in page.cards] == [c.name for c in last.cards], asked
    first = selectors.search_directory(viewer=v, query=query, page_number="abc")
    assert first.page.number == 1 and len(first.cards) == 20


@pytest.mark.parametrize("sort", ["name", "newest"])
def test_everyone_in_a_large_network_is_paged_like_a_small_one(viewer, monkeypatch, sort):
    """Past FACET_LIMIT members the unfiltered directory counts and pages without facets,
    through another query: it must list the same members in the same order."""
    blocker = member_with(display_name="Bea Blocker")
    services.block_member(blocker=blocker, blocked=viewer)
    for number in range(23):
        member_with(display_name=f"Member {number:02d}", country="BR" if number % 2 else "")
    member_with(display_name="Hidden", hidden_from_directory=True)
    v = privacy.viewer_for(viewer)
    query = DirectoryQuery(sort=sort)

    small = [selectors.search_directory(viewer=v, query=query, page_number=n) for n in (1, 2)]
    monkeypatch.setattr(selectors.directory, "FACET_LIMIT", 5)
    large = [selectors.search_directory(viewer=v, query=query, page_number=n) for n in (1, 2)]

    for before, after in zip(small, large, strict=True):
        assert [c.username for c in before.cards] == [c.username for c in after.cards]
        assert before.total == after.total == 24  # the viewer and 23 others
        assert before.facets and not after.facets
    assert "Bea Blocker" not in [c.name for page in large for c in page.cards]


def test_member_addresses_are_those_django_reverses():
    from django.urls import reverse

    for username in ["ada", "a.b@c+d-e_f", "Ünïcødé", "name with space", "..", "50%"]:
        expected = reverse("profiles:member-detail", kwargs={"username": username})
        assert privacy.member_url(username) == expected
