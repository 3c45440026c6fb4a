"""Every bad frame gets an `error` with the SPEC's code, and the socket stays usable."""

import pytest
from django.utils import timezone

from chat import services
from chat.models import Message
from tests.chat.sockets import db, join, next_frame, send_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def assert_still_usable(socket, client_id: str = "after-error") -> None:
    await send_message(socket, "still here", client_id)
    assert (await next_frame(socket, "message"))["body"] == "still here"


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[1, 2, 3]",
        '"a string"',
        "{}",
        '{"type": 42}',
        '{"type": "launch-missiles"}',
        '{"type": "chat.frame", "text": "{}"}',  # a layer event name is not a frame type
        '{"type": "message"}',
        '{"type": "message", "body": "hi"}',
        '{"type": "message", "body": 7, "client_id": "x"}',
        '{"type": "message", "body": "   ", "client_id": "x"}',
        '{"type": "sync"}',
        '{"type": "sync", "after": -1}',
        '{"type": "sync", "after": true}',
        '{"type": "edit", "id": "1", "body": "x"}',
        '{"type": "delete"}',
        "[" * 5000 + "]" * 5000,
    ],
)
async def test_malformed_frames_get_invalid(room, member, text):
    socket, _ = await join(room, member)

    await socket.send_to(text_data=text)

    error = await next_frame(socket, "error")
    assert error["code"] == "invalid" and error["detail"]
    await assert_still_usable(socket)
    await socket.disconnect()


async def test_a_binary_frame_gets_invalid(room, member):
    socket, _ = await join(room, member)

    await socket.send_to(bytes_data=b"\x00\x01binary")

    assert (await next_frame(socket, "error"))["code"] == "invalid"
    await assert_still_usable(socket)
    await socket.disconnect()


async def test_a_body_over_4000_characters_gets_too_long_and_is_not_stored(room, member):
    socket, _ = await join(room, member)

    await send_message(socket, "x" * 4001, "long")

    assert (await next_frame(socket, "error"))["code"] == "too_long"
    assert not await db(lambda: Message.objects.filter(client_id="long").exists())()
    await assert_still_usable(socket)
    await socket.disconnect()


async def test_a_frame_over_64_kib_is_refused_before_parsing(room, member):
    socket, _ = await join(room, member)

    await socket.send_to(text_data='{"type": "message", "body": "' + "é" * 40000 + '"}')

    error = await next_frame(socket, "error")
    assert error["code"] == "too_long" and "64 KiB" in error["detail"]
    await assert_still_usable(socket)
    await socket.disconnect()


async def test_a_flood_is_answered_with_rate_limited_for_every_refused_message(
    room, member, settings
):
    settings.CHAT_RATE_BURST = 5
    settings.CHAT_RATE_PER_SECOND = 0.01
    socket, _ = await join(room, member)

    for number in range(8):
        await send_message(socket, f"flood {number}", f"f{number}")
    frames = []
    while len(frames) < 8:
        frame = await socket.receive_json_from(timeout=3)
        if frame["type"] in ("message", "error"):  # presence may arrive in between
            frames.append(frame)

    # Replies come straight back while messages come through the room's broadcast: count them.
    kinds = sorted(f["type"] if f["type"] == "message" else f["code"] for f in frames)
    assert kinds == ["message"] * 5 + ["rate_limited"] * 3
    assert await db(lambda: Message.objects.filter(room=room).count())() == 5
    await socket.disconnect()


async def test_the_rate_limit_is_shared_by_a_members_sockets(room, member, settings):
    settings.CHAT_RATE_BURST = 2
    settings.CHAT_RATE_PER_SECOND = 0.01
    first, _ = await join(room, member)
    second, _ = await join(room, member)
    await send_message(first, "one", "a")
    await next_frame(first, "message")
    await send_message(first, "two", "b")
    await next_frame(first, "message")

    await send_message(second, "three", "c")

    assert (await next_frame(second, "error"))["code"] == "rate_limited"
    await first.disconnect()
    await second.disconnect()


async def test_too_many_frames_of_any_kind_get_rate_limited(room, member, settings):
    settings.CHAT_FRAME_BURST = 3
    settings.CHAT_FRAMES_PER_SECOND = 0.01
    socket, _ = await join(room, member)

    for _ in range(4):
        await socket.send_json_to({"type": "sync", "after": 0})
    frames = [await next_frame(socket, t) for t in ["history"] * 3 + ["error"]]

    assert frames[-1]["code"] == "rate_limited"
    await socket.disconnect()


async def test_editing_a_message_that_does_not_exist_gets_not_found(room, member):
    socket, _ = await join(room, member)

    await socket.send_json_to({"type": "edit", "id": 999999, "body": "x"})

    assert (await next_frame(socket, "error"))["code"] == "not_found"
    await socket.disconnect()


async def test_a_muted_member_gets_forbidden(room, member, moderator):
    await db(services.mute_member)(room=room, moderator=moderator, member=member, minutes=10)
    socket, _ = await join(room, member)

    await send_message(socket, "Can I talk?", "m1")

    error = await next_frame(socket, "error")
    assert error["code"] == "forbidden" and "muted" in error["detail"]
    await socket.disconnect()


async def test_posting_in_a_closed_room_gets_closed_but_moderators_still_post(
    room, member, moderator
):
    alice, _ = await join(room, member)
    mod, _ = await join(room, moderator)
    await db(services.set_room_open)(room=room, moderator=moderator, is_open=False)
    assert (await next_frame(alice, "room"))["is_open"] is False

    await send_message(alice, "Hello?", "c1")
    await send_message(mod, "Closing remarks", "c2")

    assert (await next_frame(alice, "error"))["code"] == "closed"
    assert (await next_frame(alice, "message"))["body"] == "Closing remarks"
    await alice.disconnect()
    await mod.disconnect()


async def test_slow_mode_answers_a_second_message_with_rate_limited(room, member, moderator):
    await db(services.set_slow_mode)(room=room, moderator=moderator, seconds=60)
    socket, _ = await join(room, member)
    await send_message(socket, "first", "s1")
    await next_frame(socket, "message")

    await send_message(socket, "second", "s2")

    error = await next_frame(socket, "error")
    assert error["code"] == "rate_limited" and "Slow mode" in error["detail"]
    await socket.disconnect()


async def test_a_mute_expires(room, member, moderator):
    mute = await db(services.mute_member)(room=room, moderator=moderator, member=member, minutes=1)
    await db(lambda: type(mute).objects.filter(pk=mute.pk).update(until=timezone.now()))()
    socket, _ = await join(room, member)

    await send_message(socket, "Back", "b1")

    assert (await next_frame(socket, "message"))["body"] == "Back"
    await socket.disconnect()
