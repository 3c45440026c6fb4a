import pytest
from django.core.exceptions import ValidationError

from forums import services
from forums.models import ModerationLogEntry, Report, State

pytestmark = pytest.mark.django_db


def test_a_reported_post_reaches_the_queue_and_only_moderators_see_it(
    client_as, topic, member, moderator
):
    post = topic.posts.get(number=1)
    client_as(member).post(f"/forums/p/{post.id}/report/", {"reason": "spam", "detail": ""})

    queue = client_as(moderator).get("/forums/moderation/")

    assert Report.objects.filter(post=post, reporter=member).exists()
    assert topic.title in queue.content.decode()
    assert client_as(member).get("/forums/moderation/").status_code == 404


def test_hiding_a_post_shows_members_a_notice_and_moderators_the_text(
    client_as, topic, member, moderator
):
    post = services.reply(author=member, topic=topic, body="Something rude")

    services.set_post_state(actor=moderator, post=post, state=State.HIDDEN, reason="rude")

    assert "Something rude" not in client_as(member).get(topic.get_absolute_url()).content.decode()
    assert "Something rude" in client_as(moderator).get(topic.get_absolute_url()).content.decode()
    assert ModerationLogEntry.objects.get(action="hide_post").reason == "rude"


def test_moderation_needs_a_reason(topic, moderator):
    with pytest.raises(ValidationError):
        services.set_topic_state(moderator=moderator, topic=topic, state=State.HIDDEN, reason="")


def test_a_hidden_topic_looks_absent_to_members(client_as, topic, member, moderator):
    services.set_topic_state(moderator=moderator, topic=topic, state=State.HIDDEN, reason="dup")

    assert client_as(member).get(topic.get_absolute_url()).status_code == 404
    assert client_as(moderator).get(topic.get_absolute_url()).status_code == 200


def test_a_moved_topic_lives_in_its_new_category(topic, moderator, public_category):
    services.move_topic(moderator=moderator, topic=topic, category=public_category, reason="fit")

    public_category.refresh_from_db()
    topic.category.refresh_from_db()
    assert public_category.topic_count == 1
    assert ModerationLogEntry.objects.get(action="move").reason == "fit"


def test_splitting_moves_replies_in_order_and_keeps_their_permalinks(
    client_as, topic, author, moderator, member
):
    replies = [services.reply(author=author, topic=topic, body=f"r{n}") for n in range(2, 6)]

    new_topic = services.split_topic(
        moderator=moderator,
        topic=topic,
        post_ids=[replies[1].id, replies[3].id],
        title="Side discussion",
        reason="off topic",
    )

    assert list(new_topic.posts.order_by("number").values_list("body", "number")) == [
        ("r3", 1),
        ("r5", 2),
    ]
    assert list(topic.posts.order_by("number").values_list("body", "number")) == [
        ("First post", 1),
        ("r2", 2),
        ("r4", 3),
    ]
    moved = client_as(member).get(f"/forums/p/{replies[3].id}/")
    assert moved["Location"] == f"{new_topic.get_absolute_url()}#post-{replies[3].id}"


def test_a_member_may_delete_their_own_post_softly(client_as, topic, member):
    post = services.reply(author=member, topic=topic, body="Oops")

    client_as(member).post(f"/forums/p/{post.id}/delete/", {"reason": ""})

    post.refresh_from_db()
    assert post.state == State.DELETED
    assert (
        "This post was deleted." in client_as(member).get(topic.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("action", "said"),
    [("pin", "The topic is pinned."), ("lock", "The topic is locked: no new replies.")],
)
def test_the_moderator_is_told_in_a_whole_sentence_what_happened_to_the_topic(
    client_as, topic, moderator, action, said
):
    response = client_as(moderator).post(
        f"/forums/t/{topic.id}/moderate/{action}/", {"reason": ""}, follow=True
    )

    assert said in response.content.decode()
