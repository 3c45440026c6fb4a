"""The members map: counts per country and per UN regional group, drawn as an SVG chart
beside a text table, counting only what the viewer may see."""

import pytest

from tests.profiles.factories import CONNECTIONS, member_with

pytestmark = pytest.mark.django_db


def test_the_map_counts_members_per_country_and_region(client_as, member):
    for country in ["KE", "KE", "NG", "FR"]:
        member_with(country=country)

    response = client_as(member).get("/members/map/")

    data = response.context["map"]
    assert {row.code: row.count for row in data.countries} == {"KE": 2, "NG": 1, "FR": 1}
    regions = {row.code: row.count for row in data.regions}
    assert regions["african"] == 3 and regions["western-european-others"] == 1
    assert regions["asia-pacific"] == 0


def test_the_chart_is_an_svg_with_a_table_for_screen_readers(client_as, member):
    member_with(country="KE")

    html = client_as(member).get("/members/map/").content.decode()

    assert '<svg class="bar-chart"' in html and 'role="img"' in html
    assert (
        "<table" in html and '<th scope="row"><a href="/members/?country=KE">Kenya</a></th>' in html
    )
    assert "style=" not in html


def test_countries_the_viewer_may_not_see_are_not_placed(client_as, member):
    member_with(country="KE", country_visibility=CONNECTIONS)
    member_with(country="KE", hidden_from_directory=True)
    member_with(country="NG")

    data = client_as(member).get("/members/map/").context["map"]

    assert {row.code: row.count for row in data.countries} == {"NG": 1}
    assert data.without_country == 2  # the viewer, and the member who keeps their country
