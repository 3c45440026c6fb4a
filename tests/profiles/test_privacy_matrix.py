"""The privacy matrix: for each field and each visibility level, what each kind of viewer
sees of member A on the profile page, in directory results, filters, counts, suggestions
and the map. Hidden must behave exactly as absent."""

import pytest

from profiles import privacy, selectors, services
from profiles.models import Profile
from profiles.selectors import DirectoryQuery
from taxonomy.models import Protocol, StakeholderType
from tests.factories import CohortFactory, ModeratorFactory, PendingUserFactory, UserFactory
from tests.profiles.factories import CONNECTIONS, EVERYONE, MEMBERS, ONLY_ME, connect, member_with

pytestmark = pytest.mark.django_db

LEVELS = [EVERYONE, MEMBERS, CONNECTIONS, ONLY_ME]
VIEWERS = ["anonymous", "pending", "member", "connection", "blocked", "self", "moderator"]

# Which viewers see a field at each level; "blocked" is a member whom A blocked.
SEES = {
    EVERYONE: {"anonymous", "pending", "member", "connection", "self", "moderator"},
    MEMBERS: {"member", "connection", "self", "moderator"},
    CONNECTIONS: {"connection", "self"},
    ONLY_ME: {"self"},
}

# field → (profile data that shows a marker on the page, the marker)
FIELDS = {
    "organisation": ({"organisation": "Marker Organisation"}, "Marker Organisation"),
    "country": ({"country": "KE", "city": "Markerville"}, "Markerville"),
    "expertise": ({"expertise": ["Marker Expertise"]}, "Marker Expertise"),
    "bio": ({"bio": "A bio with a *marker-bio* word."}, "marker-bio"),
    "links": ({"links": ["https://marker.example.org/"]}, "https://marker.example.org/"),
    "open_to": ({"open_to": ["joint_submissions"]}, "joint submissions"),
    "languages": ({"languages": ["sw"]}, "Swahili"),
}


def _viewers(a):
    """One viewer of each kind, as users (None: a visitor who is not signed in)."""
    connection = UserFactory(display_name="Connie Nection")
    connect(a, connection)
    blocked = UserFactory(display_name="Bea Blocked")
    services.block_member(blocker=a, blocked=blocked)
    return {
        "anonymous": None,
        "pending": PendingUserFactory(),
        "member": UserFactory(display_name="Mem Ber"),
        "connection": connection,
        "blocked": blocked,
        "self": a,
        "moderator": ModeratorFactory(),
    }


def _page_shows(client_as, viewer, a, marker) -> bool:
    response = client_as(viewer).get(a.get_absolute_url())
    if response.status_code != 200:
        return False
    return marker in response.content.decode()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_each_viewer_sees_a_field_on_the_profile_page_only_at_its_level(client_as, field, level):
    data, marker = FIELDS[field]
    a = member_with(display_name="Amina Marker", **data, **{f"{field}_visibility": level})
    viewers = _viewers(a)

    seen = {kind for kind, viewer in viewers.items() if _page_shows(client_as, viewer, a, marker)}

    # Visitors and pending accounts never reach a member's page; the policy still gives them
    # only "everyone" fields wherever a name appears in public.
    assert seen == SEES[level] - {"anonymous", "pending"}
    for kind in ("anonymous", "pending"):
        view = privacy.see(viewers[kind], Profile.objects.get(user=a))
        assert (field in view.visible) == (kind in SEES[level])


@pytest.mark.parametrize("level", LEVELS)
def test_photo_cohorts_interests_and_type_follow_the_same_levels(level):
    cohort = CohortFactory(name="Marker Cohort")
    a = member_with(
        stakeholder_type=StakeholderType.objects.get(slug="academic-institution"),
        protocols=list(Protocol.objects.all()[:1]),
        visibility=level,
    )
    cohort.members.add(a)
    viewers = _viewers(a)

    for kind, viewer in viewers.items():
        profile = Profile.objects.get(user=a)
        view = privacy.see(viewer, profile)

        if kind == "blocked":
            assert view is None
            continue
        expected = kind in SEES[level]
        assert bool(view.cohorts) == expected, kind
        assert bool(view.protocols) == expected, kind
        assert (view.stakeholder_type is not None) == expected, kind


def test_a_blocked_member_gets_a_404_on_the_blockers_page(client_as):
    a = member_with(organisation="Marker Organisation")
    viewers = _viewers(a)

    response = client_as(viewers["blocked"]).get(a.get_absolute_url())

    assert response.status_code == 404


def test_the_blocker_still_opens_the_blocked_members_page_to_unblock(client_as):
    a = member_with(organisation="Marker Organisation")
    viewers = _viewers(a)

    response = client_as(a).get(viewers["blocked"].get_absolute_url())

    assert response.status_code == 200
    assert "Unblock" in response.content.decode()


# Directory, counts, suggestions and map -----------------------------------------------------


def _snapshot(viewer) -> dict:
    """Everything a viewer can learn about members from lists, counts, search and the map."""
    v = privacy.viewer_for(viewer)
    snap = {}
    for name, query in {
        "all": DirectoryQuery(sort="name"),
        "country": DirectoryQuery(country="KE", sort="name"),
        "expertise": DirectoryQuery(expertise=["corruption"], sort="name"),
        "search-name": DirectoryQuery(q="Amina"),
        "search-org": DirectoryQuery(q="Marker"),
        "search-bio": DirectoryQuery(q="lighthouse"),
        "language": DirectoryQuery(language="sw", sort="name"),
        "cluster": DirectoryQuery(cluster="international-cooperation", sort="name"),
    }.items():
        result = selectors.search_directory(viewer=v, query=query)
        snap[name] = {
            "names": [card.username for card in result.cards],
            "total": result.total,
            "facets": result.facets,
        }
    snap["suggestions"] = [card.username for card in selectors.suggest_members(viewer=v)]
    members_map = selectors.members_map(viewer=v)
    snap["map"] = {
        "regions": [(row.code, row.count) for row in members_map.regions],
        "countries": [(row.code, row.count) for row in members_map.countries],
        "listed": members_map.listed,
        "without_country": members_map.without_country,
    }
    return snap


A_PROFILE = {
    "organisation": "Marker Organisation",
    "country": "KE",
    "expertise": ["corruption", "victim-support"],
    "bio": "Keeper of the lighthouse archive.",
    "languages": ["sw", "en"],
}


def _others():
    """A small network around the viewer, so every surface has something to show."""
    me = member_with(
        display_name="Vera Viewer", country="KE", expertise=["corruption"], languages=["en"]
    )
    member_with(display_name="Kofi Peer", country="KE", expertise=["corruption"])
    member_with(display_name="Lina Region", country="UG", expertise=["gender"])
    member_with(display_name="Omar Far", country="FR", organisation="Marker Institute")
    return me


def _add_cluster(user, slug="international-cooperation"):
    from taxonomy.models import Cluster

    services.update_profile(member=user, data={"clusters": [Cluster.objects.get(slug=slug)]})


@pytest.mark.parametrize("viewer_kind", ["member", "moderator", "connection-of-viewer"])
def test_a_member_hidden_from_the_directory_is_the_same_as_no_member_at_all(viewer_kind):
    me = _others()
    if viewer_kind == "moderator":
        me.is_moderator = True
        me.save()
    a = member_with(display_name="Amina Hidden", hidden_from_directory=True, **A_PROFILE)
    _add_cluster(a)
    if viewer_kind == "connection-of-viewer":
        connect(a, me)

    with_a_hidden = _snapshot(me)
    a.delete()
    without_a = _snapshot(me)

    assert with_a_hidden == without_a


def test_the_hidden_member_is_really_there_when_not_hidden():
    """The matrix above could pass by showing nobody: A unhidden must change every surface."""
    me = _others()
    a = member_with(display_name="Amina Shown", **A_PROFILE)
    _add_cluster(a)

    with_a = _snapshot(me)
    services.update_profile(member=a, data={"hidden_from_directory": True})
    hidden = _snapshot(me)

    for key in ["all", "country", "expertise", "search-name", "search-org", "search-bio",
                "language", "cluster"]:  # fmt: skip
        assert a.username in with_a[key]["names"], key
        assert with_a[key] != hidden[key], key
    assert with_a["suggestions"] != hidden["suggestions"]
    assert with_a["map"] != hidden["map"]


def test_a_member_who_blocked_the_viewer_is_the_same_as_no_member_at_all():
    me = _others()
    a = member_with(display_name="Amina Blocker", **A_PROFILE)
    _add_cluster(a)
    services.block_member(blocker=a, blocked=me)

    with_a_blocking = _snapshot(me)
    a.delete()
    without_a = _snapshot(me)

    assert with_a_blocking == without_a


FIELD_CASES = {
    # field: (A's value, the same A without it)
    "country": ({"country": "KE", "city": "Nairobi"}, {"country": "", "city": ""}),
    "expertise": ({"expertise": ["corruption", "victim-support"]}, {"expertise": []}),
    "organisation": ({"organisation": "Marker Organisation"}, {"organisation": ""}),
    "bio": ({"bio": "Keeper of the lighthouse archive."}, {"bio": ""}),
    "languages": ({"languages": ["sw"]}, {"languages": []}),
}


@pytest.mark.parametrize("level", [CONNECTIONS, ONLY_ME])
@pytest.mark.parametrize("field", sorted(FIELD_CASES))
def test_a_field_the_viewer_may_not_see_is_the_same_as_a_field_left_empty(field, level):
    me = _others()
    given, empty = FIELD_CASES[field]
    a = member_with(display_name="Amina Private", **given, **{f"{field}_visibility": level})

    with_field_hidden = _snapshot(me)
    services.update_profile(member=a, data=empty)
    with_field_empty = _snapshot(me)

    assert with_field_hidden == with_field_empty


@pytest.mark.parametrize("field", sorted(FIELD_CASES))
def test_a_connection_does_find_a_member_by_a_connections_only_field(field):
    me = _others()
    given, empty = FIELD_CASES[field]
    a = member_with(display_name="Amina Private", **given, **{f"{field}_visibility": CONNECTIONS})
    connect(a, me)

    with_field = _snapshot(me)
    services.update_profile(member=a, data=empty)
    without_field = _snapshot(me)

    assert with_field != without_field


def test_a_member_whose_country_is_hidden_is_never_listed_under_that_country(client_as):
    me = _others()
    a = member_with(display_name="Amina Careful", country="KE", country_visibility=CONNECTIONS)

    response = client_as(me).get("/members/?country=KE")

    html = response.content.decode()
    assert a.name not in html
    assert "Kofi Peer" in html
