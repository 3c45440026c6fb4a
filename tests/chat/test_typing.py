"""Typing indicators reach the others in the room and are never stored."""

import time
from types import SimpleNamespace

import pytest

from chat import consumers
from chat.models import Message
from tests.chat.sockets import db, drain, join, next_frame

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_the_others_see_who_is_typing_but_not_the_typist(room, member, other_member):
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)

    await alice.send_json_to({"type": "typing"})

    typing = await next_frame(bob, "typing")
    assert typing["user"] == {"username": member.username, "display_name": "Amina Okafor"}
    assert "typing" not in [f["type"] for f in await drain(alice)]
    assert not await db(Message.objects.exists)()
    await alice.disconnect()
    await bob.disconnect()


async def test_in_a_large_room_typing_becomes_several_people_are_typing(
    room, member, other_member, settings
):
    settings.CHAT_LARGE_ROOM = 1
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)
    await next_frame(bob, "presence")  # the room is now large

    await alice.send_json_to({"type": "typing"})

    typing = await next_frame(bob, "typing")
    assert typing["user"] is None and typing["several"] is True
    await alice.disconnect()
    await bob.disconnect()


async def test_the_first_typing_frame_counts_on_a_machine_booted_a_second_ago(
    room, member, other_member, monkeypatch
):
    # The consumer's monotonic clock (it counts from boot) reads one second.
    monkeypatch.setattr(consumers, "time", SimpleNamespace(monotonic=lambda: 1.0, time=time.time))
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)

    await alice.send_json_to({"type": "typing"})

    assert (await next_frame(bob, "typing"))["user"]["username"] == member.username
    await alice.disconnect()
    await bob.disconnect()
