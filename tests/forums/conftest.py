from datetime import UTC, datetime

import pytest

from forums import services
from forums.models import Access, Category, Post, Topic
from network.markdown import render_markdown
from tests import factories


@pytest.fixture
def public_category(db):
    return Category.objects.create(slug="open-forum", name="Open forum", access=Access.PUBLIC)


@pytest.fixture
def members_category(db):
    return Category.objects.create(slug="members-forum", name="Members forum")


@pytest.fixture
def cohort(db):
    return factories.CohortFactory()


@pytest.fixture
def group_member(cohort):
    member = factories.UserFactory(display_name="Grace Group")
    cohort.members.add(member)
    return member


@pytest.fixture
def private_category(cohort):
    return Category.objects.create(
        slug="cohort-room", name="Cohort room", access=Access.PRIVATE, cohort=cohort
    )


@pytest.fixture
def author(db):
    """A member past the new-member posting limits."""
    return factories.UserFactory(
        display_name="Olga Author", decided_at=datetime(2020, 1, 1, tzinfo=UTC)
    )


@pytest.fixture
def topic(author, members_category):
    return services.create_topic(
        author=author, category=members_category, title="Country visit notes", body="First post"
    )


def add_posts(topic: Topic, count: int, *, author=None) -> None:
    """Bulk replies for size tests (services would hit the posting limit); counters rebuilt."""
    author = author or topic.author
    start = topic.last_number
    Post.objects.bulk_create(
        Post(
            topic=topic,
            number=start + index,
            author=author,
            body=f"Reply {start + index}",
            html=render_markdown(f"Reply {start + index}"),
        )
        for index in range(1, count + 1)
    )
    services.recount_topic(topic=topic)
    services.recount_category(category=topic.category)
    topic.refresh_from_db()
