"""Real servers for the chat end-to-end tests and the benchmark: Daphne processes sharing a
database and Redis, a Redis of our own that can be restarted, and WebSocket clients."""

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import suppress
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def _port_ranges() -> list[range]:
    """CHAT_LIVE_PORTS="8650-8699,6395-6399" keeps these servers inside given ranges (web
    ports first, then Redis) when several people share one machine."""
    ranges = []
    for part in os.environ.get("CHAT_LIVE_PORTS", "").split(","):
        if "-" in part:
            low, high = part.split("-", 1)
            ranges.append(range(int(low), int(high) + 1))
    return ranges


def free_port(start: int, end: int) -> int:
    configured = _port_ranges()
    if configured:  # the same offset into the configured range of the same kind
        chosen = configured[0] if start >= 8000 or len(configured) == 1 else configured[1]
        base = 8300 if start >= 8000 else 6390
        offset = max(0, start - base) % len(chosen)
        start, end = chosen.start + offset, chosen.stop
    for port in range(start, end):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {start}-{end}")


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        {
            "SECRET_KEY": "end-to-end-only-" + "k" * 40,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_FROM_SOURCE": "1",
            "LOG_LEVEL": "WARNING",
            "CHAT_PRESENCE_HEARTBEAT": "1",
            "CHAT_PRESENCE_TTL": "3",
            "CHAT_PRESENCE_DEBOUNCE": "0.2",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


class Database:
    """A database of its own for the server processes: a SQLite file, or a new PostgreSQL
    database beside the one DATABASE_URL names (created here, dropped in `drop`)."""

    def __init__(self, postgres_url: str = "") -> None:
        self.postgres_url = postgres_url
        self.tmp = Path(tempfile.mkdtemp(prefix="se4u-chat-"))
        if postgres_url:
            self.name = f"chat_e2e_{uuid.uuid4().hex[:8]}"
            self.url = postgres_url.rsplit("/", 1)[0] + "/" + self.name
            self._admin(f'CREATE DATABASE "{self.name}"')
        else:
            self.url = f"sqlite:///{self.tmp / 'chat.sqlite3'}"

    def _admin(self, sql: str) -> None:
        import psycopg

        admin = self.postgres_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    def migrate(self) -> None:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=base_env(DATABASE_URL=self.url),
            check=True,
            timeout=300,
        )

    def setup(self, members: int, *, rooms: int = 1) -> dict:
        """Members with session cookies and rooms they may all enter (see `_setup` below)."""
        result = subprocess.run(
            [PYTHON, "-m", "tests.chat.live", "setup", str(members), str(rooms)],
            cwd=ROOT,
            env=base_env(DATABASE_URL=self.url, DJANGO_SETTINGS_MODULE="network.settings"),
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    def drop(self) -> None:
        if self.postgres_url:
            with suppress(Exception):
                self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)


class RedisServer:
    """A redis-server on our own port, without persistence: a restart forgets everything."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: _redis_ping(self.port), what=f"redis on {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _redis_ping(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


class Daphne:
    def __init__(
        self, port: int, env: dict[str, str], app: str = "network.asgi:application"
    ) -> None:
        self.port = port
        self.env = env
        self.app = app
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port),
             "--websocket_connect_timeout", "60", self.app],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE if os.environ.get("CHAT_E2E_QUIET", "1") == "1" else None,
        )  # fmt: skip
        wait_for(self._healthy, what=f"daphne on {self.port}", timeout=60)

    def _healthy(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"daphne on {self.port} exited: {self.process.stderr.read()!r}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        """Die as a crashed process does: no disconnect handlers run."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def ws_url(self, slug: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/{slug}/"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def wait_for(check, *, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up in {timeout} s")


class Client:
    """One member's socket: keeps every frame it received, by type."""

    def __init__(self, server: Daphne, slug: str, cookie: str) -> None:
        self.server, self.slug, self.cookie = server, slug, cookie
        self.socket = None
        self.hello: dict | None = None

    async def connect(self, server: "Daphne | None" = None) -> dict:
        self.server = server or self.server
        self.socket = await websockets.connect(
            self.server.ws_url(self.slug),
            origin=self.server.origin,
            additional_headers={"Cookie": self.cookie},
            open_timeout=60,
            max_size=2**22,
        )
        self.hello = await self.next("hello", timeout=60)
        return self.hello

    async def send(self, frame: dict) -> None:
        await self.socket.send(json.dumps(frame))

    async def next(self, kind: str, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {kind} frame")
            frame = json.loads(await asyncio.wait_for(self.socket.recv(), remaining))
            if frame["type"] == kind:
                return frame

    async def sync(self, after: int) -> list[dict]:
        """Everything after `after`, following `has_more` pages."""
        found = []
        while True:
            await self.send({"type": "sync", "after": after})
            history = await self.next("history", timeout=30)
            found += history["messages"]
            if not history["has_more"]:
                return found
            after = history["messages"][-1]["id"]

    async def close(self) -> None:
        if self.socket is not None:
            with suppress(Exception):
                await self.socket.close()


def _setup(members: int, rooms: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from chat.models import Room, RoomKind
    from forums.models import Access, Category
    from profiles.models import MembershipStatus, Profile, User

    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            username=f"live-{n}",
            email=f"live-{n}@example.org",
            display_name=f"Live Member {n}",
            password=password,
            status=MembershipStatus.APPROVED,
        )
        for n in range(members)
    )
    Profile.objects.bulk_create(Profile(user=user) for user in users)
    slugs = []
    for number in range(rooms):
        category = Category.objects.create(
            slug=f"live-{number}", name=f"Live {number}", access=Access.MEMBERS, has_live_room=True
        )
        Room.objects.create(
            slug=category.slug, name=category.name, kind=RoomKind.CATEGORY, category=category
        )
        slugs.append(category.slug)
    cookies = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return {"rooms": slugs, "cookies": cookies, "usernames": [u.username for u in users]}


if __name__ == "__main__" and sys.argv[1:2] == ["setup"]:
    print(json.dumps(_setup(int(sys.argv[2]), int(sys.argv[3]))))
