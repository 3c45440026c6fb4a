"""Who is online in which room, correct across processes, and cleaned up when one dies.

Each open socket is an entry with an expiry; its consumer refreshes it every HEARTBEAT
seconds. An entry whose process died is not refreshed and expires after TTL seconds, so
presence never depends on disconnect handlers alone. With REDIS_URL the entries live in
Redis (a sorted set of socket → expiry per room, plus the member shown for each socket);
without it, in this process's memory, which is all there is in the embedded mode.
"""

import asyncio
import json
import logging
import time
import weakref
from typing import Any, TypedDict

import redis.asyncio as aioredis
from django.conf import settings

logger = logging.getLogger(__name__)


class OnlineMember(TypedDict):
    id: int
    username: str
    display_name: str
    hidden: bool  # hidden from the directory: shown only to the member's connections


def heartbeat_seconds() -> float:
    return float(getattr(settings, "CHAT_PRESENCE_HEARTBEAT", 10))


def ttl_seconds() -> float:
    return float(getattr(settings, "CHAT_PRESENCE_TTL", 30))


def _unique(members: list[OnlineMember]) -> list[OnlineMember]:
    """One entry per member however many sockets they have open, in name order."""
    seen: dict[int, OnlineMember] = {}
    for entry in members:
        seen.setdefault(entry["id"], entry)
    return sorted(seen.values(), key=lambda m: (m["display_name"].casefold(), m["id"]))


class MemoryPresence:
    def __init__(self) -> None:
        self.rooms: dict[int, dict[str, tuple[float, OnlineMember]]] = {}
        self.claims: dict[str, float] = {}

    async def enter(self, room_id: int, channel: str, member: OnlineMember) -> None:
        self.rooms.setdefault(room_id, {})[channel] = (time.monotonic() + ttl_seconds(), member)

    async def leave(self, room_id: int, channel: str) -> None:
        self.rooms.get(room_id, {}).pop(channel, None)

    async def refresh(self, room_id: int, channel: str, member: OnlineMember) -> bool:
        return await self.refresh_many(room_id, {channel: member})

    async def refresh_many(self, room_id: int, entries: dict[str, OnlineMember]) -> bool:
        """Renew these sockets' entries; True when others had expired (presence changed)."""
        expires = time.monotonic() + ttl_seconds()
        room = self.rooms.setdefault(room_id, {})
        for channel, member in entries.items():
            room[channel] = (expires, member)
        return self._prune(room_id)

    def _prune(self, room_id: int) -> bool:
        now = time.monotonic()
        entries = self.rooms.get(room_id, {})
        expired = [channel for channel, (expires, _m) in entries.items() if expires <= now]
        for channel in expired:
            del entries[channel]
        return bool(expired)

    async def online(self, room_id: int) -> list[OnlineMember]:
        self._prune(room_id)
        return _unique([member for _e, member in self.rooms.get(room_id, {}).values()])

    async def snapshot(self, room_id: int) -> tuple[list[OnlineMember] | None, int]:
        members = await self.online(room_id)
        return members, len(public(members))

    async def remember_count(self, room_id: int, count: int) -> None:
        pass  # `snapshot` counts in memory

    async def claim(self, key: str, seconds: float) -> bool:
        now = time.monotonic()
        if self.claims.get(key, 0) > now:
            return False
        self.claims[key] = now + seconds
        return True


POOL_SIZE = 8  # Redis connections per process for presence


class RedisPresence:
    def __init__(self, url: str) -> None:
        self.url = url
        # redis.asyncio clients belong to one event loop (tests run several).
        self._clients: weakref.WeakKeyDictionary[Any, aioredis.Redis] = weakref.WeakKeyDictionary()

    def _client(self) -> aioredis.Redis:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            # A few connections, waited for when all are busy: a storm of 1,000 sockets
            # entering at once otherwise opened a connection each (about a hundred stayed
            # open, with their buffers: most of an idle socket's memory on Redis).
            pool = aioredis.BlockingConnectionPool.from_url(
                self.url,
                max_connections=POOL_SIZE,
                timeout=5,
                socket_timeout=2,
                socket_connect_timeout=2,
            )
            client = aioredis.Redis(connection_pool=pool)
            self._clients[loop] = client
        return client

    @staticmethod
    def _keys(room_id: int) -> tuple[str, str]:
        return f"se4u:chat:online:{room_id}", f"se4u:chat:online-who:{room_id}"

    async def enter(self, room_id: int, channel: str, member: OnlineMember) -> None:
        sockets, who = self._keys(room_id)
        keep = int(ttl_seconds() * 4)
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.zadd(sockets, {channel: time.time() + ttl_seconds()})
            pipe.hset(who, channel, json.dumps(member))
            pipe.expire(sockets, keep)
            pipe.expire(who, keep)
            await pipe.execute()

    async def leave(self, room_id: int, channel: str) -> None:
        sockets, who = self._keys(room_id)
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.zrem(sockets, channel)
            pipe.hdel(who, channel)
            await pipe.execute()

    async def refresh(self, room_id: int, channel: str, member: OnlineMember) -> bool:
        return await self.refresh_many(room_id, {channel: member})

    async def refresh_many(self, room_id: int, entries: dict[str, OnlineMember]) -> bool:
        """Renew these sockets' entries in one round trip; True when others had expired.

        Re-adding (not only touching) the entries also restores them after a Redis restart.
        """
        if not entries:
            return await self._prune(room_id)
        sockets, who = self._keys(room_id)
        keep = int(ttl_seconds() * 4)
        expires = time.time() + ttl_seconds()
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.zadd(sockets, dict.fromkeys(entries, expires))
            pipe.hset(who, mapping={c: json.dumps(m) for c, m in entries.items()})
            pipe.expire(sockets, keep)
            pipe.expire(who, keep)
            await pipe.execute()
        return await self._prune(room_id)

    async def _prune(self, room_id: int) -> bool:
        sockets, who = self._keys(room_id)
        client = self._client()
        expired = await client.zrangebyscore(sockets, "-inf", time.time())
        if not expired:
            return False
        async with client.pipeline(transaction=True) as pipe:
            pipe.zrem(sockets, *expired)
            pipe.hdel(who, *expired)
            await pipe.execute()
        return True

    async def online(self, room_id: int) -> list[OnlineMember]:
        sockets, who = self._keys(room_id)
        client = self._client()
        channels = await client.zrangebyscore(sockets, time.time(), "+inf")
        if not channels:
            return []
        found = await client.hmget(who, channels)
        return _unique([json.loads(raw) for raw in found if raw])

    async def snapshot(self, room_id: int) -> tuple[list[OnlineMember] | None, int]:
        """Who is online, for a socket's hello: the list (None in a large room) and the
        count of members shown to all.

        A large room gives the count its last presence broadcast counted (at most a
        debounce old; a fresh broadcast follows every entry) instead of reading and
        decoding every entry: a storm of 1,000 sockets entering otherwise decoded a
        million entries, and the memory that churn leaves behind stayed.
        """
        sockets, _who = self._keys(room_id)
        client = self._client()
        if await client.zcount(sockets, time.time(), "+inf") > large_room_threshold():
            counted = await client.get(self._count_key(room_id))
            if counted is not None and int(counted) > large_room_threshold():
                return None, int(counted)
        members = await self.online(room_id)
        return members, len(public(members))

    async def remember_count(self, room_id: int, count: int) -> None:
        await self._client().set(self._count_key(room_id), count, ex=int(ttl_seconds() * 4))

    @staticmethod
    def _count_key(room_id: int) -> str:
        return f"se4u:chat:online-count:{room_id}"

    async def claim(self, key: str, seconds: float) -> bool:
        return bool(
            await self._client().set(f"se4u:chat:claim:{key}", 1, nx=True, px=int(seconds * 1000))
        )


_stores: dict[str, MemoryPresence | RedisPresence] = {}


def store() -> MemoryPresence | RedisPresence:
    url = settings.REDIS_URL
    if url not in _stores:
        _stores[url] = RedisPresence(url) if url else MemoryPresence()
    return _stores[url]


def entry(user: Any, *, hidden: bool) -> OnlineMember:
    """A member as presence lists them (`hidden`: from the directory, see PresenceSight)."""
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.name,
        "hidden": hidden,
    }


async def enter(
    room_id: int, key: str, member: OnlineMember
) -> tuple[list[OnlineMember] | None, int]:
    """Enter a room's presence: who is online (None in a large room) and how many. While the
    shared store restarts, the member alone: the heartbeat puts them back."""
    try:
        await store().enter(room_id, key, member)
        return await store().snapshot(room_id)
    except Exception:
        logger.warning("chat: presence store unavailable", exc_info=True)
        return [member], 0 if member["hidden"] else 1


def large_room_threshold() -> int:
    """Above this many members online, presence is a count (list on request) and typing
    becomes "several people are typing": a room of 500 then costs per message what it must."""
    return int(getattr(settings, "CHAT_LARGE_ROOM", 100))


def debounce_seconds() -> float:
    return float(getattr(settings, "CHAT_PRESENCE_DEBOUNCE", 1.0))


def public(members: list[OnlineMember]) -> list[OnlineMember]:
    return [m for m in members if not m["hidden"]]


def presence_frame(slug: str, shown: list[OnlineMember], *, count: int, complete: bool) -> dict:
    online = [{"username": m["username"], "display_name": m["display_name"]} for m in shown]
    return {
        "type": "presence",
        "room": slug,
        "online": online if complete else [],
        "count": count,
        "complete": complete,
    }


async def broadcast(room_id: int, slug: str) -> None:
    """Send the room who is online now: the public list once encoded, hidden members
    flagged so each socket shows them only to their connections; a count in large rooms."""
    from channels.layers import get_channel_layer

    from chat import protocol

    try:
        members = await store().online(room_id)
    except Exception:
        logger.warning("chat: presence store unavailable", exc_info=True)
        return
    shown = public(members)
    complete = len(shown) <= large_room_threshold()
    try:
        await store().remember_count(room_id, len(shown))
    except Exception:
        logger.warning("chat: presence store unavailable", exc_info=True)
    frame = presence_frame(slug, shown, count=len(shown), complete=complete)
    event = protocol.event(
        "chat.presence",
        members=members if complete else [],
        count=len(shown),
        complete=complete,
        text=protocol.encode(frame),
    )
    try:
        await get_channel_layer().group_send(protocol.room_group(room_id), event)
    except Exception:
        logger.warning("chat: could not send presence", exc_info=True)


_pending: set[asyncio.Task] = set()


async def schedule_broadcast(room_id: int, slug: str) -> None:
    """Broadcast presence once after a short delay, however many sockets join or leave in
    the meantime, in any process: a reconnect storm of 1,000 costs a few frames, not 1,000²."""
    delay = debounce_seconds()
    try:
        claimed = await store().claim(f"presence:{room_id}", delay * 0.9)
    except Exception:
        claimed = True  # the shared store is down: this process still tells its own sockets
    if not claimed:
        return

    async def later() -> None:
        await asyncio.sleep(delay)
        await broadcast(room_id, slug)

    task = asyncio.get_running_loop().create_task(later())
    _pending.add(task)
    task.add_done_callback(_pending.discard)
