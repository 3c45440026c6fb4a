from channels.db import database_sync_to_async

from network.sockets import MemberConsumer
from notifications import protocol, selectors


class NotificationConsumer(MemberConsumer):
    """A member's live notifications: one group per member, frames built by services."""

    async def member_connected(self) -> None:
        self.group = protocol.member_group(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        unread = await database_sync_to_async(selectors.unread_count)(viewer=self.user)
        hello: protocol.HelloFrame = {"type": "hello", "unread": unread}
        await self.send_json(hello)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # The socket only listens: any frame (JSON or not) is answered, never acted on, and
        # a malformed one cannot crash the consumer while decoding.
        await self.send_json({"type": "error", "code": "invalid", "detail": "read-only socket"})

    async def notify_frame(self, event: dict) -> None:
        await self.send_json(event["frame"])
