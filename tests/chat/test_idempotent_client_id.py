"""Re-sending with the same client_id stores nothing new: the sender gets the stored copy."""

import pytest

from chat.models import Message
from tests.chat.sockets import db, drain, join, next_frame, send_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_a_retry_returns_the_stored_message_to_the_sender_only(room, member, other_member):
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)
    await send_message(alice, "Once", "same-id")
    first = await next_frame(alice, "message")
    await next_frame(bob, "message")

    await send_message(alice, "Once", "same-id")

    again = await next_frame(alice, "message")
    assert again["id"] == first["id"]
    assert await db(lambda: Message.objects.filter(room=room).count())() == 1
    assert "message" not in [f["type"] for f in await drain(bob)]
    await alice.disconnect()
    await bob.disconnect()


async def test_a_retry_from_another_socket_after_a_reconnect_is_still_one_message(room, member):
    before, _ = await join(room, member)
    await send_message(before, "Sent just before the network dropped", "c-42")
    first = await next_frame(before, "message")
    await before.disconnect()
    after, _ = await join(room, member)

    await send_message(after, "Sent just before the network dropped", "c-42")

    assert (await next_frame(after, "message"))["id"] == first["id"]
    assert await db(lambda: Message.objects.filter(room=room).count())() == 1
    await after.disconnect()


async def test_the_same_client_id_from_two_members_is_two_messages(room, member, other_member):
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)

    await send_message(alice, "From Alice", "1")
    await send_message(bob, "From Bob", "1")

    bodies = {(await next_frame(alice, "message"))["body"] for _ in range(2)}
    assert bodies == {"From Alice", "From Bob"}
    await alice.disconnect()
    await bob.disconnect()
