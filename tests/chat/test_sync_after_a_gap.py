"""`sync` returns everything missed after an id, in order, in pages."""

import pytest

from chat import protocol, services
from tests.chat.sockets import db, join, next_frame, send_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_a_member_who_was_away_gets_what_they_missed_in_order(room, member, other_member):
    alice, hello = await join(room, member)
    await alice.disconnect()
    bob, _ = await join(room, other_member)
    for number in range(5):
        await send_message(bob, f"while away {number}", f"w{number}")
        await next_frame(bob, "message")
    alice, _ = await join(room, member)

    await alice.send_json_to({"type": "sync", "after": hello["last_id"]})

    history = await next_frame(alice, "history")
    assert [m["body"] for m in history["messages"]] == [f"while away {n}" for n in range(5)]
    assert history["has_more"] is False
    await alice.disconnect()
    await bob.disconnect()


async def test_a_long_gap_comes_in_pages(room, member, other_member, settings):
    settings.CHAT_RATE_BURST = 1000
    for number in range(protocol.HISTORY_PAGE + 5):
        await db(services.post_message)(
            room=room, author=other_member, body=f"m{number}", client_id=f"c{number}"
        )
    socket, _ = await join(room, member)

    await socket.send_json_to({"type": "sync", "after": 0})
    first = await next_frame(socket, "history")
    await socket.send_json_to({"type": "sync", "after": first["messages"][-1]["id"]})
    second = await next_frame(socket, "history")

    assert first["has_more"] is True and len(first["messages"]) == protocol.HISTORY_PAGE
    assert second["has_more"] is False and len(second["messages"]) == 5
    ids = [m["id"] for m in first["messages"] + second["messages"]]
    assert ids == sorted(ids) and len(set(ids)) == protocol.HISTORY_PAGE + 5
    await socket.disconnect()


async def test_each_message_names_the_one_before_it_so_gaps_show(room, member):
    socket, _ = await join(room, member)

    await send_message(socket, "one", "1")
    first = await next_frame(socket, "message")
    await send_message(socket, "two", "2")
    second = await next_frame(socket, "message")

    assert second["previous_id"] == first["id"]
    await socket.disconnect()


async def test_deleted_messages_are_left_out_of_history(room, member):
    socket, _ = await join(room, member)
    await send_message(socket, "keep", "1")
    kept = await next_frame(socket, "message")
    await send_message(socket, "oops", "2")
    oops = await next_frame(socket, "message")
    await socket.send_json_to({"type": "delete", "id": oops["id"]})
    await next_frame(socket, "deleted")

    await socket.send_json_to({"type": "sync", "after": 0})

    assert [m["id"] for m in (await next_frame(socket, "history"))["messages"]] == [kept["id"]]
    await socket.disconnect()
