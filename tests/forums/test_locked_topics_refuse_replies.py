import pytest
from django.core.exceptions import ValidationError

from forums import services
from forums.models import Post

pytestmark = pytest.mark.django_db


def test_a_locked_topic_refuses_a_reply(topic, moderator, member):
    services.set_locked(moderator=moderator, topic=topic, locked=True)

    with pytest.raises(ValidationError) as error:
        services.reply(author=member, topic=topic, body="Too late?")

    assert error.value.code == "locked"
    assert not Post.objects.filter(body="Too late?").exists()


def test_the_reply_form_of_a_locked_topic_says_so_and_stores_nothing(
    client_as, topic, moderator, member
):
    services.set_locked(moderator=moderator, topic=topic, locked=True)
    client = client_as(member)

    response = client.post(
        f"/forums/t/{topic.id}/reply/", {"body": "Too late?", "action": "submit"}, follow=True
    )

    assert "This topic is locked" in response.content.decode()
    assert not Post.objects.filter(body="Too late?").exists()
    assert 'name="body"' not in client.get(topic.get_absolute_url()).content.decode()


def test_moderators_can_still_reply_to_a_locked_topic(topic, moderator):
    services.set_locked(moderator=moderator, topic=topic, locked=True)

    post = services.reply(author=moderator, topic=topic, body="Closing note")

    assert post.number == 2


def test_unlocking_takes_replies_again(topic, moderator, member):
    services.set_locked(moderator=moderator, topic=topic, locked=True)
    services.set_locked(moderator=moderator, topic=topic, locked=False)

    post = services.reply(author=member, topic=topic, body="Open again")

    assert post.number == 2
