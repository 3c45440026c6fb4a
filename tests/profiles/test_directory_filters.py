"""The directory at /members/: filters combined with AND, chips, sorting, paging, the
"peers in my country" default and partial updates for htmx."""

import pytest

from taxonomy.models import Cluster, StakeholderType
from tests.profiles.factories import member_with

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [card.name for card in response.context["result"].cards]


@pytest.fixture
def network():
    ngo = StakeholderType.objects.get(slug="ngo")
    academic = StakeholderType.objects.get(slug="academic-institution")
    people = {
        "Ada Kenya": member_with(
            display_name="Ada Kenya", country="KE", stakeholder_type=ngo,
            expertise=["corruption", "victim-support"], languages=["en", "sw"],
            clusters=[Cluster.objects.get(slug="international-cooperation")],
        ),
        "Ben Kenya": member_with(
            display_name="Ben Kenya", country="KE", stakeholder_type=academic,
            expertise=["corruption"], languages=["en"],
        ),
        "Cy Mexico": member_with(
            display_name="Cy Mexico", country="MX", stakeholder_type=ngo,
            expertise=["corruption", "victim-support"], languages=["es"],
            organisation="Observatorio Ciudadano",
        ),
        "Di France": member_with(
            display_name="Di France", country="FR", stakeholder_type=academic,
            expertise=["money-laundering"], languages=["fr", "en"],
            bio="I study **lighthouse** economies.",
        ),
    }  # fmt: skip
    return people


@pytest.fixture
def viewer(network):
    return member_with(display_name="Vi Ewer", country="KE")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KE", ["Ada Kenya", "Ben Kenya", "Vi Ewer"]),
        ("expertise=corruption", ["Ada Kenya", "Ben Kenya", "Cy Mexico"]),
        ("expertise=corruption&expertise=victim-support", ["Ada Kenya", "Cy Mexico"]),
        ("stakeholder_type=academic-institution", ["Ben Kenya", "Di France"]),
        ("language=en", ["Ada Kenya", "Ben Kenya", "Di France"]),
        ("cluster=international-cooperation", ["Ada Kenya"]),
        ("q=observatorio", ["Cy Mexico"]),
        ("q=lighthouse", ["Di France"]),
        ("q=ben", ["Ben Kenya"]),
        ("country=KE&expertise=corruption&stakeholder_type=ngo", ["Ada Kenya"]),
        ("country=MX&language=en", []),
        ("expertise=victim-support&language=es&stakeholder_type=ngo", ["Cy Mexico"]),
    ],
)
def test_filters_combine_with_and(client_as, viewer, query, expected):
    response = client_as(viewer).get(f"/members/?{query}&sort=name")

    assert response.status_code == 200
    assert names(response) == expected


def test_a_signed_in_member_first_sees_peers_in_their_own_country(client_as, viewer):
    response = client_as(viewer).get("/members/")

    assert names(response) == ["Ada Kenya", "Ben Kenya", "Vi Ewer"]
    assert "Showing peers in your country." in response.content.decode()


def test_an_empty_country_shows_members_everywhere(client_as, viewer):
    response = client_as(viewer).get("/members/?country=")

    assert len(names(response)) == 5


def test_a_member_without_a_country_sees_everyone_by_default(client_as, network):
    nowhere = member_with(display_name="No Where")

    response = client_as(nowhere).get("/members/")

    assert len(names(response)) == 5


def test_active_filters_show_as_chips_that_remove_one_filter_each(client_as, viewer):
    response = client_as(viewer).get(
        "/members/?country=KE&expertise=corruption&expertise=victim-support"
    )

    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}
    assert set(chips) == {"Kenya", "Corruption", "Victim support and protection"}
    victim_support = chips["Victim support and protection"]
    without_victim_support = client_as(viewer).get("/members/" + victim_support)
    assert names(without_victim_support) == ["Ada Kenya", "Ben Kenya"]
    without_kenya = client_as(viewer).get("/members/" + chips["Kenya"])
    assert names(without_kenya) == ["Ada Kenya", "Cy Mexico"]


def test_facets_count_the_members_each_choice_would_show(client_as, viewer):
    response = client_as(viewer).get("/members/?expertise=corruption")

    facets = response.context["result"].facets
    assert {row["value"]: row["count"] for row in facets["country"]} == {"KE": 2, "MX": 1}
    assert {row["value"]: row["count"] for row in facets["expertise"]} == {"victim-support": 2}


def test_each_facet_link_keeps_the_other_filters_in_order_and_shows_what_it_counts(
    client_as, viewer
):
    response = client_as(viewer).get("/members/?expertise=corruption&sort=name&page=2")

    links = {
        (key, row["value"]): row["url"]
        for key, rows in response.context["facets"].items()
        for row in rows
    }
    assert links["expertise", "victim-support"] == (
        "?expertise=corruption&expertise=victim-support&sort=name"
    )
    assert links["country", "MX"] == "?expertise=corruption&sort=name&country=MX"
    assert links["language", "en"] == "?expertise=corruption&sort=name&language=en"
    narrowed = client_as(viewer).get("/members/" + links["expertise", "victim-support"])
    assert names(narrowed) == ["Ada Kenya", "Cy Mexico"]
    counts = {row["value"]: row["count"] for row in response.context["facets"]["country"]}
    assert counts["MX"] == "1"
    assert names(client_as(viewer).get("/members/" + links["country", "MX"])) == ["Cy Mexico"]

    # A facet already chosen is replaced where it stands; the default view names its country.
    replaced = client_as(viewer).get("/members/?country=KE&sort=name")
    countries = replaced.context["facets"]["country"]
    assert [row["url"] for row in countries] == ["?country=KE&sort=name"]
    rows = replaced.context["facets"]["stakeholder_type"]
    assert {row["url"] for row in rows} == {
        "?country=KE&sort=name&stakeholder_type=ngo",
        "?country=KE&sort=name&stakeholder_type=academic-institution",
    }
    default = client_as(viewer).get("/members/")
    assert {row["url"] for row in default.context["facets"]["language"]} >= {
        "?country=KE&language=en",
        "?country=KE&language=sw",
    }


def test_sorting_by_newest_puts_the_latest_member_first(client_as, viewer):
    response = client_as(viewer).get("/members/?country=&sort=newest")

    assert names(response)[0] == "Vi Ewer"


def test_pages_hold_twenty_members_and_keep_the_filters(client_as, viewer):
    for number in range(25):
        member_with(display_name=f"Page Member {number:02d}", country="BR")

    first = client_as(viewer).get("/members/?country=BR&sort=name")
    second = client_as(viewer).get("/members/?country=BR&sort=name&page=2")

    assert len(names(first)) == 20 and len(names(second)) == 5
    assert "country=BR&amp;sort=name&amp;page=2" in first.content.decode()
    assert set(names(first)).isdisjoint(names(second))


def test_htmx_gets_only_the_results_and_responses_vary_on_it(client_as, viewer):
    response = client_as(viewer).get(
        "/members/?country=MX",
        headers={"HX-Request": "true", "HX-Target": "directory-results"},
    )

    html = response.content.decode()
    assert "<html" not in html and "Cy Mexico" in html
    assert "HX-Request" in response["Vary"]


def test_the_page_works_without_javascript_as_a_plain_get_form(client_as, viewer):
    response = client_as(viewer).get("/members/")

    html = response.content.decode()
    assert '<form method="get" action="/members/"' in html
    assert 'name="expertise"' in html and "multiple" in html
    assert '<option value="corruption">Corruption</option>' in html
    assert '<option value="KE" selected>Kenya</option>' in html
    assert "htmx-2.min.js" in html and "defer" in html


def test_an_unknown_filter_value_is_reported_and_the_other_filters_still_apply(client_as, viewer):
    response = client_as(viewer).get("/members/?country=XX&expertise=corruption&sort=name")

    assert "Select a valid choice" in response.content.decode()
    assert names(response) == ["Ada Kenya", "Ben Kenya", "Cy Mexico"]


def test_a_free_tag_filter_finds_members_with_that_normalised_tag(client_as, viewer):
    member_with(display_name="Fe Free", expertise=["Port Security"])

    response = client_as(viewer).get("/members/?expertise=port-security")

    assert names(response) == ["Fe Free"]


def test_the_directory_is_for_members_only(client_as, pending_member):
    assert client_as(None).get("/members/").status_code == 302
    assert client_as(pending_member).get("/members/")["Location"] == "/welcome/waiting/"
