"""The in-memory channel layer for one process (no Redis), without its per-recipient costs.

Channels' `InMemoryChannelLayer` sweeps every channel and every group membership on each
`receive` and `group_send`, copies each event once per recipient and starts one task per
recipient: one message to a room of N sockets then costs about N² steps. This layer keeps
its semantics (expiry, capacity, group expiry) and does the work once per message:

- the sweep for expired messages and memberships runs at most once per `sweep_seconds`;
- `group_send` copies the event once and puts it on each member's queue directly;
- a queue is made only for a channel that has none.

Events are shared between the recipients of one `group_send`: consumers must not change
the event dicts they receive (ours only read them).
"""

import asyncio
import time
from contextlib import suppress
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer


class FanOutInMemoryChannelLayer(InMemoryChannelLayer):
    def __init__(self, *, sweep_seconds: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sweep_seconds = sweep_seconds
        self._swept_at = 0.0

    def _sweep(self) -> None:
        now = time.monotonic()
        if now - self._swept_at >= self.sweep_seconds:
            self._swept_at = now
            self._clean_expired()

    def _queue(self, channel: str) -> asyncio.Queue:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    async def send(self, channel: str, message: dict) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, deepcopy(message))

    def _put(self, channel: str, message: dict) -> None:
        try:
            self._queue(channel).put_nowait((time.time() + self.expiry, message))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def receive(self, channel: str) -> dict:
        self.require_valid_channel_name(channel)
        self._sweep()
        queue = self._queue(channel)
        try:
            _expires, message = await queue.get()
        finally:
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
        return message

    async def group_send(self, group: str, message: dict) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._sweep()
        members = self.groups.get(group)
        if not members:
            return
        shared = deepcopy(message)  # once per message, not once per recipient
        for channel in list(members):
            with suppress(ChannelFull):  # as the stock layer: a full channel misses this event
                self._put(channel, shared)
