"""Sockets that may not be in a room are accepted, then closed with a code to act on."""

import pytest

from chat import services
from chat.models import RoomKind
from forums.models import Access
from profiles.models import Block
from tests.chat.factories import LiveCategoryFactory, RoomFactory
from tests.chat.sockets import db
from tests.factories import CohortFactory, PendingUserFactory, UserFactory
from tests.sockets import connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def close_code(path: str, user) -> int:
    socket, connected, _ = await connect(path, user)
    assert connected  # accepted first, so browsers see the code, not a bare 403
    output = await socket.receive_output(timeout=3)
    await socket.disconnect()
    assert output["type"] == "websocket.close"
    return output["code"]


async def test_an_anonymous_visitor_gets_4401(room):
    assert await close_code(f"/ws/chat/{room.slug}/", None) == 4401


async def test_a_pending_member_gets_4401(room):
    pending = await db(PendingUserFactory)()

    assert await close_code(f"/ws/chat/{room.slug}/", pending) == 4401


async def test_a_room_that_does_not_exist_gets_4404(member):
    assert await close_code("/ws/chat/no-such-room/", member) == 4404


async def test_a_private_category_room_looks_missing_to_outsiders(member):
    cohort = await db(CohortFactory)()
    category = await db(LiveCategoryFactory)(access=Access.PRIVATE, cohort=cohort)
    room = await db(RoomFactory)(category=category)

    assert await close_code(f"/ws/chat/{room.slug}/", member) == 4404


async def test_a_category_without_a_live_room_has_no_room(member):
    room = await db(RoomFactory)(category__has_live_room=False)

    assert await close_code(f"/ws/chat/{room.slug}/", member) == 4404


async def test_someone_elses_direct_room_looks_missing(member, other_member):
    third = await db(UserFactory)()
    room = await db(services.open_direct_room)(member=other_member, other=third)

    assert await close_code(f"/ws/chat/{room.slug}/", member) == 4404


async def test_a_direct_room_after_a_block_gets_4403(member, other_member):
    room = await db(services.open_direct_room)(member=member, other=other_member)
    await db(Block.objects.create)(blocker=other_member, blocked=member)

    assert await close_code(f"/ws/chat/{room.slug}/", member) == 4403


async def test_a_workshop_room_the_member_was_not_let_into_gets_4403(member):
    room = await db(services.create_workshop_room)(name="Smuggling of migrants: session 2")
    assert room.kind == RoomKind.WORKSHOP

    assert await close_code(f"/ws/chat/{room.slug}/", member) == 4403
