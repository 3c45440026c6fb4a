"""A deliberately slow reader neither holds the room back nor loses anything: the channel
layer is at-most-once, and the database with `sync` makes its delivery whole."""

import asyncio
import os
import time

import pytest
from django.conf import settings

from tests.chat.live import Client, Daphne, Database, base_env, free_port

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def server():
    url = os.environ.get("DATABASE_URL", "")
    database = Database(url if url.startswith("postgres") else "")
    database.migrate()
    setup = database.setup(members=3)
    env = base_env(
        DATABASE_URL=database.url,
        REDIS_URL=settings.REDIS_URL,
        CHAT_RATE_BURST="1000",
        CHAT_FRAME_BURST="1000",
        CHAT_FRAMES_PER_SECOND="1000",
    )
    daphne = Daphne(free_port(8375, 8400), env)
    daphne.start()
    yield daphne, setup
    daphne.stop()
    database.drop()


def test_a_slow_reader_gets_everything_after_sync_while_others_keep_up(server):
    daphne, setup = server
    slug, cookies = setup["rooms"][0], setup["cookies"]
    count = 150

    async def scenario() -> None:
        sender, fast, slow = (Client(daphne, slug, cookie) for cookie in cookies)
        for client in (sender, fast, slow):
            await client.connect()
        start_id = sender.hello["last_id"]

        async def send_all() -> None:
            for number in range(count):
                await sender.send(
                    {"type": "message", "body": f"m{number}", "client_id": f"c{number}"}
                )
                await sender.next("message")

        async def read_fast() -> float:
            for _ in range(count):
                await fast.next("message", timeout=30)
            return time.monotonic()

        async def read_slowly() -> list[int]:
            seen = []
            while True:
                try:
                    frame = await slow.next("message", timeout=3)
                except TimeoutError:
                    return seen
                seen.append(frame["id"])
                await asyncio.sleep(0.02)  # a reader on a poor link

        started = time.monotonic()
        _sent, fast_done, slow_seen = await asyncio.gather(send_all(), read_fast(), read_slowly())
        slow_done = time.monotonic()
        recovered = await slow.sync(after=max(slow_seen, default=start_id))

        everything = [m["id"] for m in await sender.sync(after=start_id)]
        assert len(everything) == count
        merged = slow_seen + [m["id"] for m in recovered]
        assert merged == everything  # in order, each exactly once
        assert fast_done - started < slow_done - started  # nobody waited for the slow one
        for client in (sender, fast, slow):
            await client.close()

    asyncio.run(scenario())
