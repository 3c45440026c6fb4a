"""People you may want to meet: same country and shared expertise first, then the same
region and shared clusters; never connections, blocked members or hidden profiles."""

import pytest

from profiles import privacy, selectors, services
from taxonomy.models import Cluster
from tests.profiles.factories import CONNECTIONS, connect, member_with

pytestmark = pytest.mark.django_db


def suggested(viewer) -> list[str]:
    return [view.name for view in selectors.suggest_members(viewer=privacy.viewer_for(viewer))]


@pytest.fixture
def me():
    return member_with(
        display_name="Me",
        country="KE",
        expertise=["corruption", "victim-support"],
        clusters=[Cluster.objects.get(slug="international-cooperation")],
    )


def test_the_order_is_country_then_expertise_then_region_then_cluster(me):
    cluster = [Cluster.objects.get(slug="international-cooperation")]
    member_with(display_name="Cluster Only", country="FR", clusters=cluster)
    member_with(display_name="Same Region", country="UG")
    member_with(display_name="Shared Expertise", country="MX", expertise=["corruption"])
    member_with(display_name="Same Country", country="KE")
    member_with(display_name="Country And Expertise", country="KE",
                expertise=["corruption", "victim-support"])  # fmt: skip
    member_with(display_name="Nothing In Common", country="BR")

    assert suggested(me) == [
        "Country And Expertise",
        "Same Country",
        "Shared Expertise",
        "Same Region",
        "Cluster Only",
    ]


def test_connections_requests_blocks_and_hidden_members_are_never_suggested(me):
    connect(me, member_with(display_name="Connected", country="KE"))
    services.request_connection(
        sender=me, recipient=member_with(display_name="Asked", country="KE")
    )
    services.block_member(blocker=me, blocked=member_with(display_name="Blocked", country="KE"))
    blocker = member_with(display_name="Blocker", country="KE")
    services.block_member(blocker=blocker, blocked=me)
    member_with(display_name="Hidden", country="KE", hidden_from_directory=True)
    member_with(display_name="Suggested", country="KE")

    assert suggested(me) == ["Suggested"]


def test_a_member_is_not_matched_on_a_field_the_viewer_may_not_see(me):
    member_with(display_name="Private Country", country="KE", country_visibility=CONNECTIONS)
    member_with(display_name="Private Expertise", expertise=["corruption"],
                expertise_visibility=CONNECTIONS)  # fmt: skip

    assert suggested(me) == []


def test_suggestions_show_on_the_home_page_and_profile_pages(client_as, me):
    peer = member_with(display_name="Kenyan Peer", country="KE")
    other = member_with(display_name="Far Away", country="BR")

    home = client_as(me).get("/").content.decode()
    profile = client_as(me).get(other.get_absolute_url()).content.decode()

    assert "People you may want to meet" in home and peer.name in home
    assert "People you may want to meet" in profile and peer.name in profile


def test_at_most_six_are_suggested(me):
    for number in range(10):
        member_with(display_name=f"Peer {number}", country="KE")

    assert len(suggested(me)) == 6


def test_a_profile_page_suggests_six_others_than_its_member_from_the_home_pages_choice(
    client_as, me, settings
):
    settings.DIRECTORY_CACHE_SECONDS = 60  # the home page's choice is reused by profile pages
    peers = [member_with(display_name=f"Peer {number}", country="KE") for number in range(8)]
    seven = selectors.suggest_members(viewer=privacy.viewer_for(me), limit=7)
    shown = next(peer for peer in peers if peer.name == seven[0].name)

    home = client_as(me).get("/").content.decode()
    profile = client_as(me).get(shown.get_absolute_url()).content.decode()

    def cards(page: str) -> list[str]:
        """The suggested names, in the page's order."""
        listed = page.split('id="suggestions-title"')[1]
        found = [peer.name for peer in peers if f"<bdi>{peer.name}</bdi></a></h3>" in listed]
        return sorted(found, key=lambda name: listed.index(f"<bdi>{name}</bdi>"))

    assert cards(home) == [view.name for view in seven[:6]]
    assert cards(profile) == [view.name for view in seven[1:]]  # six, without its member
