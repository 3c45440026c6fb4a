import pytest

from forums import services
from forums.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(author, members_category, public_category, moderator):
    found = services.create_topic(
        author=author, category=members_category, title="Asset recovery", body="Courts first"
    )
    found.tags.set(["courts"])
    services.create_topic(
        author=moderator, category=public_category, title="Recovery of assets", body="Public"
    )
    hidden = services.create_topic(
        author=author, category=members_category, title="Asset recovery secret", body="x"
    )
    services.set_topic_state(moderator=moderator, topic=hidden, state=State.HIDDEN, reason="x")
    return found


def titles(response):
    return [result.topic_title for result in response.context["results"]]


def test_search_filters_by_category_author_and_tag(client_as, topics, member, author):
    client = client_as(member)

    by_category = client.get("/forums/search/", {"q": "Asset", "category": "members-forum"})
    by_author = client.get("/forums/search/", {"q": "", "author": author.username})
    by_tag = client.get("/forums/search/", {"tag": "courts"})

    assert titles(by_category) == ["Asset recovery"]
    assert titles(by_author) == ["Asset recovery"]
    assert titles(by_tag) == ["Asset recovery"]


def test_search_never_shows_hidden_topics(client_as, topics, member):
    response = client_as(member).get("/forums/search/", {"q": "secret"})

    assert titles(response) == []


@pytest.mark.postgres
def test_on_postgresql_a_title_match_ranks_above_a_body_match(client_as, author, members_category):
    services.create_topic(
        author=author, category=members_category, title="Other", body="witness protection"
    )
    services.create_topic(
        author=author, category=members_category, title="Witness protection", body="see above"
    )

    response = client_as(author).get("/forums/search/", {"q": "witness protection"})

    assert titles(response) == ["Witness protection", "Other"]


def test_a_public_category_feed_is_atom_with_its_topics(client, topics):
    response = client.get("/forums/open-forum/feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Recovery of assets" in response.content.decode()
