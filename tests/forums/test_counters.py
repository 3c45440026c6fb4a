"""Category and topic counters match what readers can count themselves."""

import pytest

from forums import services
from forums.models import Category
from tests.forums.conftest import add_posts

pytestmark = pytest.mark.django_db


def test_rebuilt_counters_count_topics_once_however_many_posts_they_have(author, members_category):
    first = services.create_topic(
        author=author, category=members_category, title="Visit notes", body="One"
    )
    services.create_topic(author=author, category=members_category, title="Agenda", body="Two")
    add_posts(first, 4)

    services.rebuild_counters()

    category = Category.objects.get(pk=members_category.pk)
    assert category.topic_count == 2
    assert category.post_count == 6
