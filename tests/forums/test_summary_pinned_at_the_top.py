import pytest
from django.core.exceptions import PermissionDenied

from forums import services

pytestmark = pytest.mark.django_db


def test_a_facilitator_summary_shows_above_the_posts_with_who_wrote_it(
    client_as, topic, facilitator, member
):
    services.write_summary(author=facilitator, topic=topic, body="We agreed on a joint note.")

    page = client_as(member).get(topic.get_absolute_url()).content.decode()

    assert page.index("We agreed on a joint note.") < page.index("First post")
    assert f"Written by <bdi>{facilitator.name}</bdi>" in page


def test_rewriting_the_summary_keeps_its_history(topic, moderator):
    first = services.write_summary(author=moderator, topic=topic, body="Draft outcome")

    second = services.write_summary(author=moderator, topic=topic, body="Final outcome")

    assert first.id == second.id and second.number == 0
    assert second.revisions.get().body == "Draft outcome"


def test_a_member_cannot_write_the_summary(topic, member):
    with pytest.raises(PermissionDenied):
        services.write_summary(author=member, topic=topic, body="My take")
