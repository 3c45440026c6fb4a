"""The directory's statement is built once per shape of request and reused with each
request's own viewer and values (profiles.selectors.statements): a reuse must give exactly
what a statement built for that request gives, above all what the viewer may see."""

import logging

import pytest

from profiles import privacy, services
from profiles.selectors import DirectoryQuery, directory, search_directory
from profiles.selectors.statements import Markers, ShapedStatements
from taxonomy.models import Cluster
from tests.factories import ModeratorFactory
from tests.profiles.factories import CONNECTIONS, connect, member_with

pytestmark = pytest.mark.django_db


def found(viewer, **query) -> tuple[list[str], dict]:
    result = search_directory(viewer=privacy.viewer_for(viewer), query=DirectoryQuery(**query))
    facets = result.facets.items()
    counts = {key: {row["value"]: row["count"] for row in rows} for key, rows in facets}
    return [card.name for card in result.cards], counts


@pytest.fixture
def production_reuse(monkeypatch):
    """Statements reused as in production: without the tests' comparison to a fresh one."""
    monkeypatch.setattr(directory.STATEMENTS, "check_every_reuse", False)
    directory.STATEMENTS.clear()


@pytest.mark.postgres
def test_a_statement_kept_for_one_viewer_shows_another_only_what_they_may_see(production_reuse):
    private = member_with(display_name="Xena Private", country="KE", expertise=["corruption"],
                          organisation="Quiet Shelter", country_visibility=CONNECTIONS,
                          organisation_visibility=CONNECTIONS)  # fmt: skip
    member_with(display_name="Kip Open", country="KE", expertise=["corruption"])
    friend, stranger = member_with(display_name="Ann Friend"), member_with(display_name="Bo Else")
    connect(friend, private)
    connect(stranger, member_with(display_name="Cy Other"))  # the same shape: one connection

    # The friend's requests are built first and kept; the stranger's reuse them.
    assert found(friend, country="KE")[0] == ["Kip Open", "Xena Private"]
    assert found(friend, q="quiet")[0] == ["Xena Private"]
    assert found(friend, expertise=["corruption"])[1]["country"] == {"KE": 2}
    assert len(directory.STATEMENTS) == 3

    assert found(stranger, country="KE")[0] == ["Kip Open"]
    assert found(stranger, country="KE")[1]["country"] == {"KE": 1}
    assert found(stranger, q="quiet")[0] == []
    assert found(stranger, expertise=["corruption"])[1]["country"] == {"KE": 1}
    assert len(directory.STATEMENTS) == 3  # reused, not built again


@pytest.mark.postgres
def test_each_request_gets_its_own_values_in_a_kept_statement(production_reuse):
    member_with(display_name="Ada Kenya", country="KE", expertise=["corruption"], languages=["en"])
    member_with(display_name="Cy Mexico", country="MX", expertise=["cybercrime"], languages=["es"])
    viewer = member_with(display_name="Vi Ewer")

    assert found(viewer, country="KE")[0] == ["Ada Kenya"]
    assert found(viewer, country="MX")[0] == ["Cy Mexico"]
    assert found(viewer, expertise=["cybercrime"])[0] == ["Cy Mexico"]
    assert found(viewer, language="en")[0] == ["Ada Kenya"]
    assert found(viewer, q="mexico")[0] == ["Cy Mexico"]
    assert found(viewer, q="ada")[0] == ["Ada Kenya"]
    # The facet leaves out the chosen tag, whichever it is.
    assert "cybercrime" not in found(viewer, expertise=["cybercrime"])[1]["expertise"]


def _viewers() -> dict[str, object]:
    """One viewer of each shape, and a second of the same shape to reuse its statements."""
    people = [member_with(display_name=f"Peer {n}", country="KE") for n in range(4)]
    plain = [member_with(display_name=f"Plain {n}") for n in range(2)]
    connected = [member_with(display_name=f"Linked {n}") for n in range(2)]
    for viewer, peer in zip(connected, people, strict=False):
        connect(viewer, peer)
    blocking = [member_with(display_name=f"Blocking {n}") for n in range(2)]
    for viewer, peer in zip(blocking, people[2:], strict=True):
        services.block_member(blocker=viewer, blocked=peer)
        services.block_member(blocker=people[0], blocked=viewer)
    both = [member_with(display_name=f"Both {n}") for n in range(2)]
    for viewer, peer in zip(both, people[1:], strict=False):
        connect(viewer, peer)
        services.block_member(blocker=viewer, blocked=people[3])
    moderators = [ModeratorFactory(display_name=f"Mod {n}") for n in range(2)]
    return {"plain": plain, "connected": connected, "blocking": blocking, "both": both,
            "moderator": moderators}  # fmt: skip


QUERIES = [
    DirectoryQuery(),
    DirectoryQuery(country="KE"),
    DirectoryQuery(country="KE", expertise=["corruption", "cybercrime"], sort="newest"),
    DirectoryQuery(stakeholder_type="ngo", language="en", cluster="international-cooperation"),
    DirectoryQuery(q="peer"),
    DirectoryQuery(q="peer plain linked", country="KE", sort="name"),
]


@pytest.mark.postgres
def test_reused_statements_are_the_ones_built_for_each_viewer_and_query():
    viewers = _viewers()
    assert Cluster.objects.filter(slug="international-cooperation").exists()
    directory.STATEMENTS.clear()
    for kind, (first, second) in viewers.items():
        for query in QUERIES:
            for offset in (0, 20):
                for viewer in (first, second):
                    seen = privacy.viewer_for(viewer)
                    fresh = directory._results_sql(seen, query, offset)
                    assert directory._statement(seen, query, offset) == fresh, (kind, query)


def test_a_statement_depending_on_more_than_its_shape_is_never_reused(caplog):
    statements = ShapedStatements()

    def request(value: int) -> tuple[str, list]:
        markers = Markers()
        stand_in = markers.number(value)
        return statements.get(
            "shape",
            markers,
            for_markers=lambda: ("SELECT %s", [stand_in]),
            for_values=lambda: ("SELECT %s" + (" + 1" if value == 1 else ""), [value]),
        )

    with caplog.at_level(logging.WARNING, logger="profiles.selectors.statements"):
        assert request(1) == ("SELECT %s + 1", [1])
    assert "depends on more than its shape" in caplog.text
    assert request(2) == ("SELECT %s", [2])  # built afresh, not from what was kept
    assert request(1) == ("SELECT %s + 1", [1])


def test_markers_fill_values_in_numbers_lists_and_text():
    markers = Markers()
    viewer_id = markers.number(42)
    ids = markers.number([3, 5, 8])
    word = markers.text("word", "amina")

    assert markers.fill(viewer_id) == 42
    assert markers.fill([ids]) == [3, 5, 8]
    assert markers.fill(f"{word}:* & x:*") == "amina:* & x:*"
    assert markers.fill(7) == 7 and markers.fill("plain") == "plain"
