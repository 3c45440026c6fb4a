"""A search page runs the same number of queries whether it shows one result or twenty."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import search, services
from tests import factories
from tests.forums.conftest import add_posts

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    cache.clear()  # no cached results: the query runs
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


def test_twenty_results_cost_what_one_does(client_as, author, public_category, member):
    topic = services.create_topic(
        author=author, category=public_category, title="Evidence", body="One questionnaire"
    )
    add_posts(topic, 30, author=factories.UserFactory(display_name="Many Answers"))
    topic.posts.filter(number__gt=1).update(body="Another questionnaire answer")
    search.refresh_vectors(topic_ids=[topic.id])
    client = client_as(member)

    one, one_page = queries_for(client, "/forums/search/?q=One+questionnaire")
    many, many_page = queries_for(client, "/forums/search/?q=questionnaire")

    assert one_page.count("Many Answers") == 0
    assert many_page.count("Many Answers") >= 19
    assert many == one
