"""The room socket greets a member and relays messages to everyone in the room."""

import pytest

from tests.sockets import open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def receive_type(socket, kind: str, limit: int = 10) -> dict:
    """The next frame of type `kind`, skipping presence and typing frames on the way."""
    for _ in range(limit):
        frame = await socket.receive_json_from(timeout=3)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


async def test_a_message_reaches_everyone_in_the_room(room, member, other_member):
    alice = await open_socket(f"/ws/chat/{room.slug}/", member)
    bob = await open_socket(f"/ws/chat/{room.slug}/", other_member)
    await receive_type(alice, "hello")
    await receive_type(bob, "hello")

    await alice.send_json_to({"type": "message", "body": "Hello *all*", "client_id": "c1"})

    received = await receive_type(bob, "message")
    assert received["body"] == "Hello *all*"
    assert received["body_html"] == "<p>Hello <em>all</em></p>\n"
    assert received["author"] == {"username": member.username, "display_name": "Amina Okafor"}
    assert (await receive_type(alice, "message"))["id"] == received["id"]
    await alice.disconnect()
    await bob.disconnect()
