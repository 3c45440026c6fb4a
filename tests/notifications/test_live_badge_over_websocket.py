"""The unread badge and list update live over /ws/notifications/, without reloading."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from notifications.models import Kind
from notifications.services import mark_all_read, notify
from profiles.services import suspend_member
from tests.factories import ModeratorFactory, UserFactory
from tests.sockets import open_socket

# transaction=True: notify() commits in another thread, as a request would.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

PATH = "/ws/notifications/"


@database_sync_to_async
def two_members():
    return UserFactory(display_name="Amina"), UserFactory(display_name="Carlos")


async def test_a_notification_reaches_the_member_with_the_unread_count():
    amina, carlos = await two_members()
    socket = await open_socket(PATH, amina)
    assert await socket.receive_json_from() == {"type": "hello", "unread": 0}

    stored = await database_sync_to_async(notify)(
        recipient=amina,
        kind=Kind.MENTION,
        text="Carlos mentioned you",
        url="/forums/",
        actor=carlos,
    )

    frame = await socket.receive_json_from(timeout=5)
    assert frame["type"] == "notification"
    assert (frame["id"], frame["kind"], frame["text"]) == (stored.id, "mention", stored.text)
    assert frame["url"] == "/forums/"
    assert frame["unread"] == 1
    await socket.disconnect()


async def test_another_member_does_not_receive_it():
    amina, carlos = await two_members()
    socket = await open_socket(PATH, carlos)
    await socket.receive_json_from()

    await database_sync_to_async(notify)(recipient=amina, kind=Kind.MENTION, text="For Amina")

    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_reading_elsewhere_updates_the_badge_of_every_open_tab():
    amina, carlos = await two_members()
    await database_sync_to_async(notify)(
        recipient=amina, kind=Kind.MENTION, text="One", actor=carlos
    )
    socket = await open_socket(PATH, amina)
    assert (await socket.receive_json_from())["unread"] == 1

    await database_sync_to_async(mark_all_read)(member=amina)

    assert await socket.receive_json_from(timeout=5) == {"type": "unread", "unread": 0}
    await socket.disconnect()


async def test_a_notification_rolled_back_is_never_announced():
    amina, carlos = await two_members()
    socket = await open_socket(PATH, amina)
    await socket.receive_json_from()

    @database_sync_to_async
    def notify_then_fail():
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            notify(recipient=amina, kind=Kind.MENTION, text="Never", actor=carlos)
            raise RuntimeError("the post could not be saved")

    await notify_then_fail()

    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_a_frame_from_the_client_gets_an_error_and_the_socket_stays_open():
    amina, carlos = await two_members()
    socket = await open_socket(PATH, amina)
    await socket.receive_json_from()

    await socket.send_to(text_data="{not json")

    reply = await socket.receive_json_from()
    assert (reply["type"], reply["code"]) == ("error", "invalid")
    await database_sync_to_async(notify)(recipient=amina, kind=Kind.MENTION, text="Still here")
    assert (await socket.receive_json_from(timeout=5))["text"] == "Still here"
    await socket.disconnect()


async def test_two_open_tabs_both_get_the_notification():
    amina, carlos = await two_members()
    tabs = [await open_socket(PATH, amina) for _ in range(2)]
    for tab in tabs:
        await tab.receive_json_from()

    await database_sync_to_async(notify)(
        recipient=amina, kind=Kind.REPLY, text="A reply", actor=carlos
    )

    frames = await asyncio.gather(*(tab.receive_json_from(timeout=5) for tab in tabs))
    assert [frame["text"] for frame in frames] == ["A reply", "A reply"]
    for tab in tabs:
        await tab.disconnect()


async def test_suspending_the_member_closes_their_socket():
    amina, carlos = await two_members()
    moderator = await database_sync_to_async(ModeratorFactory)()
    socket = await open_socket(PATH, amina)
    await socket.receive_json_from()

    await database_sync_to_async(suspend_member)(moderator=moderator, member=amina)

    assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": 4401}
    await socket.disconnect()
