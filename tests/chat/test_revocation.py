"""An open socket is a snapshot: losing access closes it, and nothing more is delivered."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction

from chat import services
from profiles.models import Block, MembershipStatus, User
from tests.chat.sockets import db, join, next_frame, send_message
from tests.sockets import open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def closed_with(socket) -> int:
    for _ in range(20):
        output = await socket.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output["code"]
    raise AssertionError("the socket stayed open")


def recheck(user_ids: list[int]) -> None:
    with transaction.atomic():
        services.recheck_member_sockets(user_ids=user_ids)


async def test_suspension_closes_the_members_sockets_with_4401(room, member, other_member):
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)

    await db(lambda: User.objects.filter(pk=member.pk).update(status=MembershipStatus.SUSPENDED))()
    await db(recheck)([member.pk])

    assert await closed_with(alice) == 4401
    await send_message(bob, "after the suspension", "x")
    assert (await next_frame(bob, "message"))["body"] == "after the suspension"
    await alice.disconnect()
    await bob.disconnect()


async def test_a_block_closes_the_direct_room_with_4403(member, other_member):
    room = await db(services.open_direct_room)(member=member, other=other_member)
    alice, _ = await join(room, member)

    await db(Block.objects.create)(blocker=other_member, blocked=member)
    await db(recheck)([member.pk, other_member.pk])

    assert await closed_with(alice) == 4403
    await alice.disconnect()


async def test_logging_out_closes_the_sockets_of_that_session(room, member, client):
    def sign_in() -> str:
        client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
        return f"sessionid={client.cookies['sessionid'].value}"

    cookie = await db(sign_in)()
    from channels.testing import WebsocketCommunicator

    from network.asgi import application

    socket = WebsocketCommunicator(
        application,
        f"/ws/chat/{room.slug}/",
        headers=[(b"origin", b"http://localhost"), (b"cookie", cookie.encode())],
    )
    assert (await socket.connect())[0]
    await next_frame(socket, "hello")

    await db(client.post)("/accounts/logout/")

    assert await closed_with(socket) == 4401
    await socket.disconnect()


async def test_logging_out_elsewhere_leaves_other_sessions_open(room, member):
    other_session = await db(_session_for)(member)
    socket, _ = await join(room, member)

    await db(services.end_session_sockets)(user_id=member.pk, session_key=other_session)

    await send_message(socket, "still connected", "s")
    assert (await next_frame(socket, "message"))["body"] == "still connected"
    await socket.disconnect()


async def test_removal_from_a_workshop_room_closes_the_socket(member):
    room = await db(services.create_workshop_room)(name="Firearms Protocol clinic", is_open=True)
    await db(room.participants.add)(member)
    socket = await open_socket(f"/ws/chat/{room.slug}/", member)
    await next_frame(socket, "hello")

    await db(room.participants.remove)(member)
    await db(recheck)([member.pk])

    assert await closed_with(socket) == 4403
    await socket.disconnect()


def _session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key
