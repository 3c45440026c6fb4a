"""A busy room: bursts arrive whole and in order, and the sockets' database connection
outlives a message but not a dropped connection."""

import asyncio

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.chat.sockets import db, join, next_frame, send_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_a_burst_reaches_every_socket_whole_and_in_order(
    settings, room, member, other_member, moderator
):
    settings.CHAT_RATE_BURST = settings.CHAT_FRAME_BURST = 100
    alice, _ = await join(room, member)
    bob, _ = await join(room, other_member)
    mod, _ = await join(room, moderator)

    for number in range(30):  # without waiting: they share the relay's passes
        await send_message(alice, f"burst {number}", f"b{number}")

    for socket in (alice, bob, mod):
        received = [await next_frame(socket, "message", timeout=10) for _ in range(30)]
        assert [m["body"] for m in received] == [f"burst {n}" for n in range(30)]
        ids = [m["id"] for m in received]
        assert ids == sorted(ids) and len(set(ids)) == 30
    for socket in (alice, bob, mod):
        await socket.disconnect()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    """From a connection of our own, outside Django's threads."""
    config = settings.DATABASES["default"]
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.postgres
async def test_messages_reuse_the_connection_and_a_dropped_one_is_replaced(room, member):
    socket, _ = await join(room, member)
    kept = await db(_backend_pid)()

    await send_message(socket, "first", "c1")
    await next_frame(socket, "message")
    assert await db(_backend_pid)() == kept  # not a new connection per message

    await asyncio.to_thread(_terminate, kept)  # PostgreSQL restarted, or a proxy dropped it
    await send_message(socket, "after the drop", "c2")

    assert (await next_frame(socket, "message"))["body"] == "after the drop"
    assert await db(_backend_pid)() != kept
    await socket.disconnect()
