"""Two real Daphne processes share Redis: messages cross between them in order, and when
one process dies its clients reconnect to the other and `sync` loses nothing."""

import asyncio
import os

import pytest
from django.conf import settings

from tests.chat.live import Client, Daphne, Database, base_env, free_port

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def database():
    db = Database(settings.DATABASES["default"]["NAME"] and _postgres_url())
    db.migrate()
    yield db
    db.drop()


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else ""


@pytest.fixture
def servers(database):
    setup = database.setup(members=3)
    env = base_env(DATABASE_URL=database.url, REDIS_URL=settings.REDIS_URL, CHAT_RATE_BURST="1000")
    first = Daphne(free_port(8300, 8350), env)
    first.start()
    second = Daphne(free_port(first.port + 1, 8350), env)
    second.start()
    yield first, second, setup
    first.stop()
    second.stop()


async def converse(sender: Client, receiver: Client, bodies: list[str]) -> list[dict]:
    """`sender` posts each body (waiting for its echo); returns what `receiver` got live."""
    sent = []
    for number, body in enumerate(bodies):
        await sender.send({"type": "message", "body": body, "client_id": f"{body}-{number}"})
        sent.append(await sender.next("message"))
    received = [await receiver.next("message") for _ in bodies]
    assert [m["id"] for m in received] == [m["id"] for m in sent]
    return received


def test_messages_cross_processes_in_order_and_survive_a_process_dying(servers):
    first, second, setup = servers
    slug, cookies = setup["rooms"][0], setup["cookies"]

    async def scenario() -> None:
        alice = Client(first, slug, cookies[0])
        bob = Client(second, slug, cookies[1])
        carol = Client(second, slug, cookies[2])
        for client in (alice, bob, carol):
            await client.connect()

        received = await converse(alice, bob, [f"from first {n}" for n in range(20)])
        assert [m["body"] for m in received] == [f"from first {n}" for n in range(20)]
        await converse(bob, alice, [f"from second {n}" for n in range(10)])
        last_seen_by_bob = received[-1]["id"]
        seen_by_bob = [m["id"] for m in received]

        # Mid-conversation, the second process dies; Alice keeps talking.
        for number in range(10):
            await alice.send(
                {"type": "message", "body": f"during {number}", "client_id": f"d{number}"}
            )
            if number == 3:
                second.kill()
        for _ in range(10):
            await alice.next("message")

        await bob.connect(first)  # Bob reconnects to the survivor
        missed = await bob.sync(after=last_seen_by_bob)

        everything = await alice.sync(after=0)
        bobs_view = seen_by_bob + [m["id"] for m in missed]
        assert sorted(set(bobs_view)) == [m["id"] for m in everything]
        assert len(bobs_view) == len(set(bobs_view))  # sync after his last id: no duplicates
        assert [m["body"] for m in missed][-10:] == [f"during {n}" for n in range(10)]
        # Carol never came back: her entry on the dead process expires from presence.
        await asyncio.wait_for(wait_until_offline(alice, "live-2"), timeout=20)
        for client in (alice, bob):
            await client.close()

    asyncio.run(scenario())


async def wait_until_offline(watcher: Client, username: str) -> None:
    while True:
        await watcher.send({"type": "presence"})
        frame = await watcher.next("presence")
        while not frame.get("complete") or frame["count"] != len(frame["online"]):
            frame = await watcher.next("presence")
        if username not in {m["username"] for m in frame["online"]}:
            return
        await asyncio.sleep(0.5)
