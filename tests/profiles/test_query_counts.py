"""Every list and profile page runs the same number of queries for 3 rows or 60."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles import services
from tests.factories import CohortFactory
from tests.profiles.factories import connect, member_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    """Measure the work itself: the directory's result cache would hide an N+1."""
    settings.DIRECTORY_CACHE_SECONDS = 0


RICH = {
    "country": "KE",
    "organisation": "Coalition",
    "expertise": ["corruption", "victim-support", "Port Security"],
    "languages": ["en", "sw"],
    "bio": "Working on **victim support**.",
    "links": ["https://example.org/"],
    "open_to": ["mentoring"],
}


def _queries(client, path) -> int:
    client.get(path)  # warm: the taxonomy's choices are cached after the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _grow(viewer, count):
    for number in range(count):
        other = member_with(display_name=f"Grown {number}", **RICH)
        if number % 3 == 0:
            connect(viewer, other)
        if number % 5 == 0:
            services.block_member(blocker=viewer, blocked=member_with(display_name="B"))


@pytest.mark.parametrize(
    "path",
    [
        "/members/",
        "/members/?country=KE&expertise=corruption",
        "/members/?q=grown&expertise=port-security",
        "/members/?country=&sort=newest&page=2",
        "/members/map/",
        "/members/connections/",
    ],
)
def test_list_pages_cost_the_same_for_few_and_many_members(client_as, path):
    viewer = member_with(display_name="Viewer", **RICH)
    client = client_as(viewer)
    _grow(viewer, 3)
    few = _queries(client, path)

    _grow(viewer, 27)
    many = _queries(client, path)

    assert many == few


def test_the_home_page_suggestions_never_cost_more_as_the_network_grows(client_as):
    viewer = member_with(display_name="Viewer", **RICH)
    client = client_as(viewer)
    _grow(viewer, 3)
    few = _queries(client, "/")

    _grow(viewer, 27)
    many = _queries(client, "/")

    # Suggestions are picked in at most four tiers; with more members the first tiers fill
    # the list and the later ones are skipped, so a bigger network can only cost less.
    assert many <= few


def test_the_directory_stays_within_a_small_fixed_budget(client_as, django_assert_max_num_queries):
    viewer = member_with(display_name="Viewer", **RICH)
    _grow(viewer, 30)
    client = client_as(viewer)

    with django_assert_max_num_queries(22):
        client.get("/members/?country=KE&expertise=corruption")


def test_a_profile_page_costs_the_same_however_rich_the_profile(
    client_as, django_assert_max_num_queries
):
    viewer = member_with(display_name="Viewer", **RICH)
    plain = member_with(display_name="Plain")
    rich = member_with(display_name="Rich", **RICH)
    for _number in range(12):
        CohortFactory().members.add(rich)
    _grow(viewer, 30)
    client = client_as(viewer)

    plain_count = _queries(client, plain.get_absolute_url())
    with django_assert_max_num_queries(plain_count):
        client.get(rich.get_absolute_url())
    with django_assert_max_num_queries(25):
        client.get(rich.get_absolute_url())
