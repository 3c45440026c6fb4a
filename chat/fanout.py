"""This process's room sockets: one channel-layer subscription per room, not per socket.

A room event reaches each process once (one PUBLISH on Redis, one queue entry in memory),
already encoded by whoever sent it; the process's relay for that room hands the same text to
every local socket in turn, without a queue, a task wake-up, a copy or an encoding per socket.
The sockets themselves have no channel of their own (see `RoomConsumer.__call__`).

What remains per recipient is mostly the server's write: under Daphne each write to a socket
costs a `send` and two `epoll_ctl` calls (Twisted waits for the socket to be writable), and
several frames written to one socket in one pass share them. So a relay hands out events in
passes at most every `CHAT_RELAY_TICK` seconds (0.05): a quiet room's message goes out at
once, and in a busy room whatever arrived during a pass goes to each socket together, in
order. Measured with bench/chat.py, this is what lets a room of hundreds take more messages.

One heartbeat task per process (not per socket) renews presence, rejoins the groups a
restarted Redis forgot, and re-checks every socket's access every few beats in case a word
from `chat.revocation` was lost.
"""

import asyncio
import logging
import random
import weakref
from collections import defaultdict
from typing import TYPE_CHECKING

from channels.layers import get_channel_layer
from django.conf import settings

from chat import presence, protocol
from chat.revocation import AccessListener

if TYPE_CHECKING:
    from chat.consumers import RoomConsumer
    from chat.models import Room

logger = logging.getLogger(__name__)

MAX_PENDING = 1000  # events waiting for the next pass; beyond, this process is overwhelmed
ENTERING = 8  # sockets of a process setting up at once (RoomConsumer.connect)


class RoomRelay:
    """This process's one member of a room's group."""

    def __init__(self, room: "Room", membership: asyncio.Lock) -> None:
        self.room = room
        self.group = protocol.room_group(room.pk)
        self.sockets: set[RoomConsumer] = set()
        self.channel = ""
        self.ready = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.passes: asyncio.Task | None = None
        self.membership = membership
        self.pending: list[dict] = []
        self.arrived = asyncio.Event()

    async def start(self) -> None:
        try:
            await self.join()
        except Exception:  # the layer is down: the heartbeat joins the group later
            logger.warning("chat: could not join %s; retrying", self.group, exc_info=True)
        self.ready.set()
        loop = asyncio.get_running_loop()
        self.task = loop.create_task(self.run())
        self.passes = loop.create_task(self.hand_out())

    async def join(self) -> None:
        layer = get_channel_layer()
        async with self.membership:
            if not self.channel:
                self.channel = await layer.new_channel("chat.relay.")
            await layer.group_add(self.group, self.channel)

    async def stop(self) -> None:
        for task in (self.task, self.passes):
            if task is not None:
                task.cancel()
        if self.channel:
            async with self.membership:
                try:
                    await get_channel_layer().group_discard(self.group, self.channel)
                except Exception:
                    logger.warning("chat: could not leave %s", self.group, exc_info=True)

    async def run(self) -> None:
        layer = get_channel_layer()
        while True:
            if not self.channel:
                await asyncio.sleep(1)
                continue
            try:
                event = await layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # the layer is restarting: sync fills the gap afterwards
                logger.warning("chat: relay could not receive; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            if len(self.pending) >= MAX_PENDING:  # as a full channel: `sync` fills the gap
                logger.warning("chat: relay for %s is behind; an event is dropped", self.group)
                continue
            self.pending.append(event)
            self.arrived.set()

    async def hand_out(self) -> None:
        tick = float(getattr(settings, "CHAT_RELAY_TICK", 0.05))
        loop = asyncio.get_running_loop()
        while True:
            await self.arrived.wait()
            self.arrived.clear()
            events, self.pending = self.pending, []
            started = loop.time()
            await self.deliver(events)
            rest = started + tick - loop.time()
            if rest > 0:
                await asyncio.sleep(rest)

    async def deliver(self, events: list[dict]) -> None:
        sockets = list(self.sockets)
        if not sockets:
            return
        relayed = sockets[0].relayed
        handled = []
        for event in events:
            handler = relayed.get(event.get("type"))
            if handler is None:
                logger.warning("chat: relay got an unknown event %r", event.get("type"))
            else:
                handled.append((handler, event))
        for socket in sockets:
            for handler, event in handled:
                try:
                    await handler(socket, event)
                except Exception:  # one socket's failure costs only that socket the frame
                    logger.exception("chat: relaying %s failed", event.get("type"))


class LocalSockets:
    """Every live room socket of this process, its relays, its access listener and the one
    heartbeat task, which runs while there are sockets and ends when the last one leaves."""

    def __init__(self) -> None:
        self.sockets: set[RoomConsumer] = set()
        self.rooms: dict[int, RoomRelay] = {}
        self.membership = asyncio.Lock()
        self.access = AccessListener(self.membership)
        self.entering = asyncio.Semaphore(ENTERING)
        self.task: asyncio.Task | None = None
        self.beats = 0

    async def join(self, socket: "RoomConsumer") -> "Room":
        """Relay the room's events to `socket` from now on (returns once that holds).

        Returns the room as this process's sockets share it (one copy, not one per socket),
        with the state `socket` just read from the database: the latest read wins.
        """
        room = socket.room
        relay = self.rooms.get(room.pk)
        if relay is None:
            relay = self.rooms[room.pk] = RoomRelay(room, self.membership)
            relay.sockets.add(socket)
            await relay.start()
        else:
            relay.room.is_open, relay.room.slow_mode_seconds = room.is_open, room.slow_mode_seconds
            relay.sockets.add(socket)
            await relay.ready.wait()
        return relay.room

    async def leave(self, socket: "RoomConsumer") -> None:
        self.sockets.discard(socket)
        relay = self.rooms.get(socket.room.pk)
        if relay is None:
            return
        relay.sockets.discard(socket)
        if not relay.sockets:
            del self.rooms[socket.room.pk]
            await relay.stop()

    def add(self, socket: "RoomConsumer") -> None:
        self.sockets.add(socket)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())

    async def run(self) -> None:
        while self.sockets:
            await asyncio.sleep(presence.heartbeat_seconds() * random.uniform(0.8, 1.0))
            try:
                await self.beat()
            except Exception:  # one bad beat must not end presence for the whole process
                logger.warning("chat: heartbeat failed; retrying", exc_info=True)

    async def beat(self) -> None:
        self.beats += 1
        sockets = [socket for socket in self.sockets if socket.live]
        rooms: dict[int, dict[str, presence.OnlineMember]] = defaultdict(dict)
        slugs: dict[int, str] = {}
        for socket in sockets:
            rooms[socket.room.pk][socket.presence_key] = socket.presence_entry()
            slugs[socket.room.pk] = socket.room.slug
        try:
            for relay in list(self.rooms.values()):
                await relay.join()
            if self.access.members:
                await self.access.join()
        except Exception:
            logger.warning("chat: could not rejoin groups; retrying", exc_info=True)
        for room_id, entries in rooms.items():
            try:
                if await presence.store().refresh_many(room_id, entries):
                    await presence.schedule_broadcast(room_id, slugs[room_id])
            except Exception:
                logger.warning("chat: presence store unavailable", exc_info=True)
        if self.beats % int(getattr(settings, "CHAT_RECHECK_BEATS", 6)) == 0:
            for socket in sockets:  # one at a time: a thousand sockets do not flood the pool
                await socket.access_recheck({"type": "access.recheck"})


_local: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LocalSockets]" = (
    weakref.WeakKeyDictionary()
)


def local_sockets() -> LocalSockets:
    """This process's registry (one per event loop: tests run several)."""
    loop = asyncio.get_running_loop()
    registry = _local.get(loop)
    if registry is None:
        registry = _local[loop] = LocalSockets()
    return registry
