"""Revocation: the room sockets of members whose access may be gone re-check it, across
processes, through ONE channel-layer subscription per process.

Whatever takes access away (logout, suspension, losing approval, a block, removal from a
private room) calls `services.recheck_member_sockets` or `services.end_session_sockets`,
which send one `access.recheck` event naming the members to `protocol.ACCESS_GROUP`. Every
process with open room sockets is in that group through one channel of its own, and keeps a
map member id → its open sockets; the event reaches each process once and only the named
members' sockets re-check (and close if access is gone).

This replaced one group per socket (`chat.member.<id>`): on Redis that was a subscription,
a queue and a waiting task per socket, most of an idle socket's memory. A word lost on the
way (the layer is at-most-once, Redis may be restarting) is caught by the heartbeat, which
re-checks every socket every few beats (consumers' `LocalSockets.beat`).
"""

import asyncio
import logging
from typing import TYPE_CHECKING

from channels.layers import get_channel_layer

from chat import protocol

if TYPE_CHECKING:
    from chat.consumers import RoomConsumer

logger = logging.getLogger(__name__)


class AccessListener:
    """This process's member of the access group, and its member id → sockets map."""

    def __init__(self, membership: asyncio.Lock) -> None:
        self.members: dict[int, set[RoomConsumer]] = {}
        self.channel = ""
        self.ready = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.rechecks: set[asyncio.Task] = set()
        # Shared with the room relays: with the pub/sub layer, leaving a group while another
        # channel of this process joins it can unsubscribe both; one change at a time.
        self.membership = membership

    async def watch(self, socket: "RoomConsumer") -> None:
        """Tell `socket` when its member's access may have changed (returns once that holds)."""
        self.members.setdefault(socket.member_id, set()).add(socket)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self.run())
        await self.ready.wait()

    async def unwatch(self, socket: "RoomConsumer") -> None:
        sockets = self.members.get(socket.member_id)
        if sockets is None:
            return
        sockets.discard(socket)
        if not sockets:
            del self.members[socket.member_id]
        if not self.members and self.task is not None:
            task, channel = self.task, self.channel
            self.task, self.channel, self.ready = None, "", asyncio.Event()
            task.cancel()
            if channel:
                async with self.membership:
                    await self._leave(channel)

    async def join(self) -> None:
        """Join the group (again: a restarted Redis or an expired membership forgets it)."""
        layer = get_channel_layer()
        async with self.membership:
            if not self.channel:
                self.channel = await layer.new_channel("chat.access.")
            await layer.group_add(protocol.ACCESS_GROUP, self.channel)

    @staticmethod
    async def _leave(channel: str) -> None:
        try:
            await get_channel_layer().group_discard(protocol.ACCESS_GROUP, channel)
        except Exception:
            logger.warning("chat: could not leave the access group", exc_info=True)

    async def run(self) -> None:
        try:
            await self.join()
        except Exception:  # the layer is down: the heartbeat joins later, and re-checks
            logger.warning("chat: could not join the access group; retrying", exc_info=True)
        self.ready.set()
        layer = get_channel_layer()
        while True:
            if not self.channel:
                await asyncio.sleep(1)
                continue
            try:
                event = await layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("chat: access listener could not receive; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            self.dispatch(event)

    def dispatch(self, event: dict) -> None:
        if event.get("type") != "access.recheck":
            logger.warning("chat: access listener got an unknown event %r", event.get("type"))
            return
        named = event.get("user_ids") or []
        sockets = [s for member in named for s in self.members.get(member, ())]
        if not sockets:
            return
        # In a task of its own: a workshop's hundreds of participants re-check one after
        # another on the database thread while the next event is already being read.
        task = asyncio.get_running_loop().create_task(self.recheck(sockets, event))
        self.rechecks.add(task)
        task.add_done_callback(self.rechecks.discard)

    @staticmethod
    async def recheck(sockets: list["RoomConsumer"], event: dict) -> None:
        for socket in sockets:
            try:
                await socket.access_recheck(event)
            except Exception:
                logger.exception("chat: access re-check failed")
