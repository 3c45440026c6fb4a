"""@mentions link to the profile and notify, except across a block or towards someone the
author may not see, and never about a topic the mentioned member cannot read."""

import pytest

from forums import services
from notifications.models import Notification
from profiles.models import Block, Profile
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # notifications are sent on commit


@pytest.fixture
def mentioned(db):
    return factories.UserFactory(username="amina", display_name="Amina Okafor")


def mention_notices(member):
    return Notification.objects.filter(recipient=member, kind="mention")


def test_a_mention_links_to_the_profile_and_notifies(topic, author, mentioned):
    post = services.reply(author=author, topic=topic, body="What do you think, @amina?")

    assert '<a class="mention" href="/members/amina/"' in post.html
    notice = mention_notices(mentioned).get()
    assert notice.url == post.get_absolute_url()
    assert topic.title in notice.text


def test_mentioning_a_member_who_blocked_the_author_does_not_notify(topic, author, mentioned):
    Block.objects.create(blocker=mentioned, blocked=author)

    post = services.reply(author=author, topic=topic, body="Hello @amina")

    assert not mention_notices(mentioned).exists()
    assert 'class="mention"' not in post.html


def test_mentioning_a_member_the_author_blocked_does_not_notify(topic, author, mentioned):
    Block.objects.create(blocker=author, blocked=mentioned)

    services.reply(author=author, topic=topic, body="Hello @amina")

    assert not mention_notices(mentioned).exists()


def test_a_hidden_member_looks_like_an_unknown_name(topic, author, mentioned):
    Profile.objects.filter(user=mentioned).update(hidden_from_directory=True)

    hidden = services.reply(author=author, topic=topic, body="Hello @amina")
    unknown = services.reply(author=author, topic=topic, body="Hello @nobody")

    assert hidden.html == unknown.html.replace("nobody", "amina")
    assert not mention_notices(mentioned).exists()


def test_a_member_who_cannot_read_the_topic_is_not_told_about_it(
    author, group_member, private_category, mentioned
):
    services.create_topic(
        author=group_member, category=private_category, title="Cohort only", body="Hi @amina"
    )

    assert not mention_notices(mentioned).exists()


def test_mentions_in_code_are_not_mentions(topic, author, mentioned):
    services.reply(author=author, topic=topic, body="Type `@amina` to mention someone.")

    assert not mention_notices(mentioned).exists()


def test_editing_in_a_new_mention_notifies_once(topic, author, mentioned):
    post = services.reply(author=author, topic=topic, body="A first draft")

    services.edit_post(editor=author, post=post, body="A first draft, cc @amina")
    services.edit_post(editor=author, post=post, body="A better draft, cc @amina")

    assert mention_notices(mentioned).count() == 1
