"""Redis restarts mid-conversation (a Redis this test starts on its own port, without
persistence, so it comes back empty): both processes recover, and after `sync` every
message is there exactly once, in order."""

import asyncio
import contextlib
import os
import time

import pytest

from tests.chat.live import Client, Daphne, Database, RedisServer, base_env, free_port

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def stack():
    url = os.environ.get("DATABASE_URL", "")
    database = Database(url if url.startswith("postgres") else "")
    database.migrate()
    setup = database.setup(members=2)
    redis_server = RedisServer(free_port(6390, 6400))
    redis_server.start()
    env = base_env(DATABASE_URL=database.url, REDIS_URL=redis_server.url, CHAT_RATE_BURST="1000")
    first = Daphne(free_port(8350, 8375), env)
    first.start()
    second = Daphne(free_port(first.port + 1, 8375), env)
    second.start()
    yield first, second, redis_server, setup
    first.stop()
    second.stop()
    redis_server.stop()
    database.drop()


async def post(client: Client, body: str) -> dict:
    await client.send({"type": "message", "body": body, "client_id": body})
    return await client.next("message")


def test_after_a_redis_restart_the_processes_recover_and_sync_makes_delivery_whole(stack):
    first, second, redis_server, setup = stack
    slug, cookies = setup["rooms"][0], setup["cookies"]

    async def scenario() -> None:
        alice, bob = Client(first, slug, cookies[0]), Client(second, slug, cookies[1])
        await alice.connect()
        await bob.connect()
        before = [await post(alice, f"before {n}") for n in range(5)]
        live = [await bob.next("message") for _ in before]
        assert [m["id"] for m in live] == [m["id"] for m in before]

        redis_server.stop()
        # While Redis is away the messages are still stored; only their broadcast is lost.
        during = []
        for number in range(5):
            await alice.send(
                {"type": "message", "body": f"during {number}", "client_id": f"d{number}"}
            )
            with contextlib.suppress(TimeoutError):
                during.append(await alice.next("message", timeout=0.5))
        redis_server.start()

        # Recovery: a message sent now reaches the other process live (after the layer
        # reconnects and the heartbeat rejoins groups forgotten by the empty Redis).
        deadline = time.monotonic() + 40
        number = 0
        while True:
            number += 1
            assert time.monotonic() < deadline, "the processes did not recover"
            await alice.send(
                {"type": "message", "body": f"after {number}", "client_id": f"a{number}"}
            )
            try:
                sent = await alice.next("message", timeout=2)
                got = await bob.next("message", timeout=2)
                while got["id"] < sent["id"]:
                    got = await bob.next("message", timeout=2)
            except TimeoutError:
                continue  # stored all the same; `sync` below checks that
            if got["id"] == sent["id"]:
                break

        everything = await alice.sync(after=0)
        bobs_missed = await bob.sync(after=before[-1]["id"])
        ids = [m["id"] for m in everything]
        assert ids == sorted(ids) and len(ids) == len(set(ids))
        assert [m["body"] for m in everything][:10] == (
            [f"before {n}" for n in range(5)] + [f"during {n}" for n in range(5)]
        )
        assert [m["body"] for m in everything][10:] == [f"after {n}" for n in range(1, number + 1)]
        assert [m["id"] for m in bobs_missed] == ids[5:]
        await alice.close()
        await bob.close()

    asyncio.run(scenario())
