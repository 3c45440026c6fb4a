import random

import pytest

from forums import demo, services
from forums.models import Category, Post, Topic
from profiles import demo as profile_demo

pytestmark = pytest.mark.django_db


def test_demo_forums_are_bulk_seeded_with_true_counters_and_idempotent():
    profile_demo.seed_members(count=10, rng=random.Random(1), progress=lambda n: None)

    added = demo.seed_forums(topics=20, posts=300, big_topic=100, rng=random.Random(2))
    again = demo.seed_forums(topics=20, posts=300, big_topic=100, rng=random.Random(2))

    assert added == (20, 300) and again == (0, 0)
    big = Topic.objects.order_by("-last_number").first()
    assert big.last_number == 100 and big.category.is_public
    assert Post.objects.filter(topic=big).count() == 100
    counts = {c.pk: (c.topic_count, c.post_count) for c in Category.objects.all()}
    for category in Category.objects.all():
        services.recount_category(category=category)
    assert counts == {c.pk: (c.topic_count, c.post_count) for c in Category.objects.all()}
