"""Announcements speak for the platform team: only moderators open topics there."""

import pytest
from django.core.exceptions import PermissionDenied

from forums import services
from forums.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcements():
    return Category.objects.get(slug="announcements")


def test_a_member_cannot_open_an_announcement(client_as, member, announcements):
    with pytest.raises(PermissionDenied):
        services.create_topic(author=member, category=announcements, title="Hi", body="Spam")

    assert client_as(member).get(f"/forums/{announcements.slug}/new/").status_code == 403


def test_a_moderator_opens_one_and_members_may_reply(member, moderator, announcements):
    topic = services.create_topic(
        author=moderator, category=announcements, title="Call for applications", body="Apply"
    )

    services.reply(author=member, topic=topic, body="Thank you")

    assert topic.posts.count() == 2
