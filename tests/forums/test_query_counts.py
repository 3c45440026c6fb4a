"""Pages cost a fixed number of queries: 5 posts or 500, first page or last."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import services
from tests import factories
from tests.forums.conftest import add_posts

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)  # past the new-member posting limits


def queries_for(client, url):
    cache.clear()  # a cold page cache: the worst case
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def build(category, posts, topics=1):
    author = factories.UserFactory(display_name="Bulk Author", decided_at=LONG_AGO)
    made = []
    for index in range(topics):
        topic = services.create_topic(
            author=author, category=category, title=f"Topic {index}", body="Opening"
        )
        topic.tags.set(["data", f"tag{index}"])
        made.append(topic)
    add_posts(made[0], posts - 1, author=factories.UserFactory())
    return made[0]


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_topic_page_topic_list_and_index_cost_the_same_for_5_and_500_posts(
    client_as, public_category, member, moderator, who, django_assert_max_num_queries, settings
):
    settings.FORUMS_POST_LIMIT = (100, 60)
    viewer = {"anonymous": None, "member": member, "moderator": moderator}[who]
    small = build(public_category, 5, topics=2)
    other = public_category.__class__.objects.create(slug="big", name="Big", access="public")
    big = build(other, 500, topics=40)
    client = client_as(viewer)
    client.get("/forums/")  # a returning visitor: the first visit is recorded once, not per page
    counts = {}

    for name, topic in [("small", small), ("big", big)]:
        counts[name] = (
            queries_for(client, topic.get_absolute_url()),
            queries_for(client, topic.category.get_absolute_url()),
            queries_for(client, "/forums/"),
        )

    assert counts["small"] == counts["big"]
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(big.get_absolute_url())


def test_the_last_page_of_a_long_topic_costs_what_the_first_does(
    client_as, public_category, member
):
    topic = build(public_category, 500)
    client = client_as(member)

    first = queries_for(client, topic.get_absolute_url())
    last = queries_for(client, topic.page_url(topic.page_count))

    assert topic.page_count == 25
    assert last == first


def test_a_deep_page_selects_posts_by_number_not_by_offset(client_as, public_category):
    topic = build(public_category, 500)
    cache.clear()

    with CaptureQueriesContext(connection) as context:
        client_as(None).get(topic.page_url(20))

    post_queries = [q["sql"] for q in context.captured_queries if 'FROM "forums_post"' in q["sql"]]
    assert post_queries and all("OFFSET" not in sql for sql in post_queries)
    assert any("BETWEEN 381 AND 400" in sql for sql in post_queries)
