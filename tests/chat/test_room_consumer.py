"""The room socket greets a member, relays messages, edits and deletions to the room."""

import pytest

from chat.models import Message
from tests.chat.sockets import db, join, next_frame, send_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_hello_names_the_room_the_member_and_the_last_message(room, member):
    last = await db(
        lambda: Message.objects.create(
            room=room, author=member, body="x", body_html="x", client_id="old"
        )
    )()
    await db(lambda: type(room).objects.filter(pk=room.pk).update(last_message_id=last.pk))()

    socket, hello = await join(room, member)

    assert hello["room"] == room.slug
    assert hello["you"] == {"username": member.username, "display_name": "Amina Okafor"}
    assert hello["last_id"] == last.pk
    assert hello["online"] == [{"username": member.username, "display_name": "Amina Okafor"}]
    await socket.disconnect()


async def test_a_message_reaches_everyone_in_the_room_rendered_and_sanitised(
    room, member, other_member
):
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)

    await send_message(alice, "Hello *all* <script>alert(1)</script>", "c1")

    received = await next_frame(bob, "message")
    assert received["body"] == "Hello *all* <script>alert(1)</script>"
    assert (
        received["body_html"] == "<p>Hello <em>all</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )
    assert received["author"] == {"username": member.username, "display_name": "Amina Okafor"}
    assert received["client_id"] == "c1" and received["room"] == room.slug
    assert (await next_frame(alice, "message"))["id"] == received["id"]
    assert await db(lambda: Message.objects.filter(pk=received["id"]).exists())()
    await alice.disconnect()
    await bob.disconnect()


async def test_ids_increase_within_a_room(room, member):
    socket, _ = await join(room, member)

    ids = []
    for number in range(3):
        await send_message(socket, f"m{number}", f"c{number}")
        ids.append((await next_frame(socket, "message"))["id"])

    assert ids == sorted(ids) and len(set(ids)) == 3
    await socket.disconnect()


async def test_the_author_edits_a_message_and_the_room_sees_it(room, member, other_member):
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)
    await send_message(alice, "Helo", "c1")
    sent = await next_frame(bob, "message")

    await alice.send_json_to({"type": "edit", "id": sent["id"], "body": "**Hello**"})

    edited = await next_frame(bob, "edited")
    assert edited["id"] == sent["id"]
    assert edited["body"] == "**Hello**"
    assert edited["body_html"] == "<p><strong>Hello</strong></p>\n"
    await alice.disconnect()
    await bob.disconnect()


async def test_a_moderator_deletes_anyones_message_and_it_is_logged(room, member, moderator):
    alice, _ = await join(room, member)
    mod, _ = await join(room, moderator)
    await send_message(alice, "Spam", "c1")
    sent = await next_frame(mod, "message")

    await mod.send_json_to({"type": "delete", "id": sent["id"]})

    assert (await next_frame(alice, "deleted"))["id"] == sent["id"]
    stored = await db(lambda: Message.objects.get(pk=sent["id"]))()
    assert stored.is_deleted and stored.body == ""
    log = await db(lambda: list(room.moderation_actions.values_list("kind", "detail")))()
    assert log == [("delete", "Spam")]
    await alice.disconnect()
    await mod.disconnect()


async def test_a_member_cannot_edit_someone_elses_message(room, member, other_member):
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)
    await send_message(alice, "Mine", "c1")
    sent = await next_frame(bob, "message")

    await bob.send_json_to({"type": "edit", "id": sent["id"], "body": "Yours now"})

    error = await next_frame(bob, "error")
    assert error["code"] == "forbidden"
    assert (await db(lambda: Message.objects.get(pk=sent["id"]))()).body == "Mine"
    await alice.disconnect()
    await bob.disconnect()
