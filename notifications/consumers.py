from channels.db import database_sync_to_async

from network.sockets import MemberConsumer
from notifications import protocol, services


class NotificationConsumer(MemberConsumer):
    """A member's live notifications: one group per member, frames built by services."""

    async def member_connected(self) -> None:
        self.group = protocol.member_group(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        unread = await database_sync_to_async(services.unread_count)(member=self.user)
        await self.send_json({"type": "hello", "unread": unread})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The socket only listens; anything a client sends is answered, never acted on.
        await self.send_json({"type": "error", "code": "invalid", "detail": "read-only socket"})

    async def notify_frame(self, event: dict) -> None:
        await self.send_json(event["frame"])
