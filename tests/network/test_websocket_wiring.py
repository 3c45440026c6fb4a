"""WebSockets pass origin validation and session authentication before any consumer."""

import pytest
from channels.db import database_sync_to_async

from tests.factories import PendingUserFactory, UserFactory
from tests.sockets import connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

PATH = "/ws/notifications/"


async def test_a_foreign_origin_is_rejected_at_the_handshake():
    member = await database_sync_to_async(UserFactory)()

    communicator, connected, _ = await connect(PATH, member, origin=b"https://evil.example")

    # Refused before the consumer runs: no accept, which Daphne sends as HTTP 403.
    assert not connected
    await communicator.disconnect()


async def test_an_anonymous_socket_is_accepted_then_closed_with_4401():
    communicator, connected, _ = await connect(PATH, None)

    assert connected
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect()


async def test_a_pending_member_is_accepted_then_closed_with_4401():
    pending = await database_sync_to_async(PendingUserFactory)()

    communicator, connected, _ = await connect(PATH, pending)

    assert connected
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect()


async def test_an_approved_member_is_greeted():
    member = await database_sync_to_async(UserFactory)()

    communicator, connected, _ = await connect(PATH, member)

    assert connected
    assert await communicator.receive_json_from() == {"type": "hello", "unread": 0}
    await communicator.disconnect()
