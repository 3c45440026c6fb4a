"""Chat works without JavaScript: a room list with unread counts, a room page, a plain form."""

import pytest

from chat import services
from chat.models import Message
from profiles.models import Block
from tests.chat.factories import MessageFactory, RoomFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_room_list_shows_rooms_with_unread_counts(client_as, member, other_member, room):
    for number in range(3):
        services.post_message(
            room=room, author=other_member, body=f"m{number}", client_id=str(number)
        )

    page = client_as(member).get("/chat/")

    assert page.status_code == 200
    html = page.content.decode()
    assert room.name in html and "3 unread" in html


def test_reading_the_room_clears_its_unread_count(client_as, member, other_member, room):
    services.post_message(room=room, author=other_member, body="hi", client_id="1")
    client = client_as(member)

    client.get(room.get_absolute_url())

    assert "chat-unread" not in client.get("/chat/").content.decode()


def test_the_room_list_costs_the_same_for_many_rooms(
    client_as, member, other_member, django_assert_max_num_queries
):
    for _ in range(30):
        room = RoomFactory()
        MessageFactory(room=room, author=other_member)
    for _ in range(5):
        services.open_direct_room(member=member, other=UserFactory())
    client = client_as(member)
    client.get("/chat/")  # rooms for categories are made on the first visit

    with django_assert_max_num_queries(12):
        page = client.get("/chat/")

    assert page.content.decode().count('class="chat-kind"') == 30 + 5


def test_the_room_page_shows_the_latest_messages_as_html(client_as, member, room):
    MessageFactory(room=room, body="**Agenda** for Tuesday")

    page = client_as(member).get(room.get_absolute_url())

    assert "<strong>Agenda</strong> for Tuesday" in page.content.decode()
    assert 'src="/static/chat/room.js"' in page.content.decode()


def test_older_messages_page_by_id(client_as, member, room, django_assert_max_num_queries):
    messages = MessageFactory.create_batch(120, room=room)
    client = client_as(member)

    latest = client.get(room.get_absolute_url())
    older_link = f"?before={messages[70].pk}"
    with django_assert_max_num_queries(15):
        older = client.get(room.get_absolute_url() + older_link)

    assert older_link in latest.content.decode()
    assert messages[-1].body in latest.content.decode()
    assert messages[69].body in older.content.decode()
    assert messages[70].body not in older.content.decode()
    assert f"?before={messages[20].pk}" in older.content.decode()


def test_the_plain_form_posts_once_even_when_submitted_twice(client_as, member, room):
    client = client_as(member)
    form = {"body": "Posted without JavaScript", "client_id": "form-1"}

    first = client.post(room.get_absolute_url(), form)
    second = client.post(room.get_absolute_url(), form)

    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(room=room, body="Posted without JavaScript").count() == 1


def test_the_form_keeps_what_was_typed_when_the_rate_limit_refuses_it(
    client_as, member, room, settings
):
    settings.CHAT_RATE_BURST = 1
    settings.CHAT_RATE_PER_SECOND = 0.01
    client = client_as(member)
    client.post(room.get_absolute_url(), {"body": "first", "client_id": "1"})

    page = client.post(room.get_absolute_url(), {"body": "second thoughts", "client_id": "2"})

    assert page.status_code == 400
    assert "too quickly" in page.content.decode()
    assert "second thoughts" in page.content.decode()


def test_a_room_the_member_may_not_see_is_a_404(client_as, member, other_member):
    room = services.open_direct_room(member=other_member, other=UserFactory())

    assert client_as(member).get(room.get_absolute_url()).status_code == 404


def test_opening_a_direct_room_from_a_profile(client_as, member, other_member):
    response = client_as(member).post(f"/chat/direct/{other_member.username}/")

    room = services.open_direct_room(member=other_member, other=member)
    assert response.status_code == 302 and response["Location"] == room.get_absolute_url()
    assert set(room.participants.all()) == {member, other_member}


def test_a_direct_room_is_refused_when_either_member_blocked_the_other(
    client_as, member, other_member
):
    Block.objects.create(blocker=other_member, blocked=member)

    response = client_as(member).post(f"/chat/direct/{other_member.username}/")

    assert response.status_code == 302 and response["Location"] == "/chat/"
    assert not member.chat_rooms.exists()


def test_a_moderator_mutes_sets_slow_mode_and_closes_and_each_step_is_logged(
    client_as, moderator, member, room
):
    client = client_as(moderator)
    url = f"/chat/{room.slug}/moderate/"

    client.post(url, {"action": "mute", "username": member.username, "minutes": "15"})
    client.post(url, {"action": "slow_mode", "seconds": "30"})
    client.post(url, {"action": "close"})

    room.refresh_from_db()
    assert room.slow_mode_seconds == 30 and not room.is_open
    assert room.mutes.filter(user=member).exists()
    kinds = list(room.moderation_actions.order_by("id").values_list("kind", flat=True))
    assert kinds == ["mute", "slow_mode", "close"]


def test_a_member_cannot_moderate(client_as, member, room):
    response = client_as(member).post(f"/chat/{room.slug}/moderate/", {"action": "close"})

    room.refresh_from_db()
    assert response.status_code == 403 and room.is_open


def test_a_moderator_deletes_a_message_from_the_page(client_as, moderator, room):
    message = MessageFactory(room=room, body="Off-topic advert")

    client_as(moderator).post(f"/chat/{room.slug}/messages/{message.pk}/delete/")

    message.refresh_from_db()
    assert message.is_deleted
    assert room.moderation_actions.get().detail == "Off-topic advert"
