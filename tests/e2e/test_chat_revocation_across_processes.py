"""Losing access closes a member's room sockets on every process within 5 seconds: logging
out on one Daphne closes that session's socket on the other, and a suspension made by a third
process closes the member's sockets on both. Other members stay connected."""

import asyncio
import contextlib
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
import websockets

from tests.chat.live import (
    PYTHON,
    ROOT,
    Client,
    Daphne,
    Database,
    RedisServer,
    base_env,
    free_port,
)

pytestmark = [pytest.mark.redis, pytest.mark.slow]

# Heartbeats far apart: the periodic re-check (every few beats) cannot be what closes the
# sockets within the 5 seconds; only the word sent through the channel layer can.
QUIET_HEARTBEAT = {"CHAT_PRESENCE_HEARTBEAT": "30", "CHAT_PRESENCE_TTL": "90"}


@pytest.fixture
def stack():
    url = os.environ.get("DATABASE_URL", "")
    database = Database(url if url.startswith("postgres") else "")
    database.migrate()
    setup = database.setup(members=3)
    # A Redis of its own: pub/sub channels are shared by every database number of a server.
    redis_server = RedisServer(free_port(6390, 6400))
    servers: list[Daphne] = []
    try:
        redis_server.start()
        env = base_env(DATABASE_URL=database.url, REDIS_URL=redis_server.url, **QUIET_HEARTBEAT)
        for _ in range(2):  # the first is listening by the time the second picks a port
            servers.append(Daphne(free_port(8300, 8350), env))
            servers[-1].start()  # a server that does not come up is still stopped below
        yield servers[0], servers[1], env, setup
    finally:
        for server in servers:
            server.stop()
        redis_server.stop()
        database.drop()


async def closed(client: Client) -> tuple[int | None, float]:
    """Read until the server closes the socket; its close code and when it closed."""
    with contextlib.suppress(websockets.ConnectionClosed):
        while True:
            await client.socket.recv()
    return client.socket.close_code, time.time()


def log_out(server: Daphne, cookie: str) -> None:
    """Sign out the way a browser does: the confirmation form, then its POST."""
    url = f"http://127.0.0.1:{server.port}/accounts/logout/"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie})) as page:
        html = page.read().decode()
        csrf = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        headers={
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "Origin": server.origin,
            "Referer": url,
        },
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200


SUSPEND = """
import time, django
django.setup()
from profiles.models import MembershipStatus, User
from profiles.services import suspend_member
moderator = User.objects.create(
    username="live-moderator", email="moderator@example.org",
    status=MembershipStatus.APPROVED, is_moderator=True,
)
suspend_member(moderator=moderator, member=User.objects.get(username="{username}"))
print(time.time())
"""


def suspend_elsewhere(env: dict, username: str) -> float:
    """Suspend a member from a process of its own; returns when that committed."""
    result = subprocess.run(
        [PYTHON, "-c", SUSPEND.replace("{username}", username)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "network.settings"},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return float(result.stdout.strip().splitlines()[-1])


async def still_connected(client: Client, sender: Client, body: str) -> None:
    await sender.send({"type": "message", "body": body, "client_id": body})
    assert (await client.next("message"))["body"] == body


def test_logging_out_on_one_process_closes_that_sessions_socket_on_the_other(stack):
    first, second, _env, setup = stack
    slug, (alice_cookie, bob_cookie, _) = setup["rooms"][0], setup["cookies"]

    async def scenario() -> None:
        alice_here = Client(first, slug, alice_cookie)
        alice_there = Client(second, slug, alice_cookie)
        bob = Client(second, slug, bob_cookie)
        for client in (alice_here, alice_there, bob):
            await client.connect()

        started = time.time()
        watching = [asyncio.create_task(closed(c)) for c in (alice_here, alice_there)]
        await asyncio.to_thread(log_out, first, alice_cookie)
        results = await asyncio.wait_for(asyncio.gather(*watching), timeout=10)

        assert [code for code, _at in results] == [4401, 4401]
        assert max(at for _code, at in results) - started < 5
        await still_connected(bob, bob, "Bob is still here")
        await bob.close()

    asyncio.run(scenario())


def test_a_suspension_by_another_process_closes_the_members_sockets_everywhere(stack):
    first, second, env, setup = stack
    slug, cookies, usernames = setup["rooms"][0], setup["cookies"], setup["usernames"]

    async def scenario() -> None:
        carol_here = Client(first, slug, cookies[2])
        carol_there = Client(second, slug, cookies[2])
        bob = Client(first, slug, cookies[1])
        for client in (carol_here, carol_there, bob):
            await client.connect()

        watching = [asyncio.create_task(closed(c)) for c in (carol_here, carol_there)]
        committed = await asyncio.to_thread(suspend_elsewhere, env, usernames[2])
        results = await asyncio.wait_for(asyncio.gather(*watching), timeout=10)

        assert [code for code, _at in results] == [4401, 4401]
        assert max(at for _code, at in results) - committed < 5
        await still_connected(bob, bob, "Bob carries on")
        await bob.close()

    asyncio.run(scenario())
