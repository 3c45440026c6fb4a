"""Who is online: updated as members come and go, expiring, and private where it must be."""

import asyncio

import pytest

from chat import presence
from profiles.models import Connection, Profile
from tests.chat.sockets import db, drain, join, next_frame
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def names(frame: dict) -> set[str]:
    return {m["username"] for m in frame["online"]}


async def latest_presence(socket) -> dict:
    frames = [f for f in await drain(socket) if f["type"] == "presence"]
    assert frames, "no presence frame"
    return frames[-1]


async def test_members_see_each_other_come_and_go(room, member, other_member):
    alice, _ = await join(room, member)
    bob, hello = await join(room, other_member)
    assert names(hello) == {member.username, other_member.username}

    assert names(await latest_presence(alice)) == {member.username, other_member.username}
    await bob.disconnect()

    assert names(await latest_presence(alice)) == {member.username}
    await alice.disconnect()


async def test_a_member_hidden_from_the_directory_shows_only_to_their_connections(room, member):
    hidden = await db(UserFactory)(display_name="Hidden Hana")
    await db(lambda: Profile.objects.filter(user=hidden).update(hidden_from_directory=True))()
    friend = await db(UserFactory)()
    await db(Connection.objects.create)(
        from_user=hidden, to_user=friend, state=Connection.State.ACCEPTED
    )
    stranger_socket, _ = await join(room, member)
    friend_socket, _ = await join(room, friend)

    hidden_socket, hello = await join(room, hidden)

    assert hidden.username in names(hello)  # members see themselves
    assert hidden.username in names(await latest_presence(friend_socket))
    stranger_view = await latest_presence(stranger_socket)
    assert hidden.username not in names(stranger_view)
    assert stranger_view["count"] == 2
    for socket in (stranger_socket, friend_socket, hidden_socket):
        await socket.disconnect()


async def test_a_dead_processs_members_expire_without_a_disconnect(room, settings):
    settings.CHAT_PRESENCE_TTL = 0.5
    ghost = {"id": 999, "username": "ghost", "display_name": "Ghost", "hidden": False}
    alive = {"id": 1, "username": "alive", "display_name": "Alive", "hidden": False}
    store = presence.store()
    await store.enter(room.pk, "channel-of-a-process-about-to-die", ghost)
    assert "ghost" in {m["username"] for m in await store.online(room.pk)}

    await asyncio.sleep(0.6)  # the dead process never refreshes its entry
    noticed = await store.refresh(room.pk, "channel-still-alive", alive)

    assert noticed  # the living socket's heartbeat reports it, so presence is re-sent
    assert {m["username"] for m in await store.online(room.pk)} == {"alive"}


async def test_a_large_room_sends_a_count_and_the_list_on_request(
    room, member, other_member, settings
):
    settings.CHAT_LARGE_ROOM = 1
    alice, _ = await join(room, member)
    bob, hello = await join(room, other_member)
    assert hello["online"] == [] and hello["count"] == 2 and hello["complete"] is False

    summary = await latest_presence(alice)
    await alice.send_json_to({"type": "presence"})
    full = await next_frame(alice, "presence")

    assert summary["count"] == 2 and summary["online"] == []
    assert names(full) == {member.username, other_member.username} and full["complete"]
    await alice.disconnect()
    await bob.disconnect()
