from importlib import import_module

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.translation import gettext as _

from chat import protocol as chat_protocol
from network.sockets import CLOSE_NOT_SIGNED_IN, MemberConsumer
from notifications import protocol, selectors
from profiles.models import User
from profiles.permissions import is_member


class NotificationConsumer(MemberConsumer):
    """A member's live notifications: one group per member, frames built by services.

    It also listens on the member's access group (the one chat uses), so signing out,
    suspension or erasure closes it like the member's chat sockets.
    """

    async def member_connected(self) -> None:
        session = self.scope.get("session")
        self.session_key = session.session_key if session is not None else None
        self.epoch = self.user.access_epoch
        self.groups_joined = [
            protocol.member_group(self.user.pk),
            chat_protocol.member_group(self.user.pk),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        unread = await database_sync_to_async(selectors.unread_count)(viewer=self.user)
        hello: protocol.HelloFrame = {"type": "hello", "unread": unread}
        await self.send_json(hello)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # The socket only listens: any frame (JSON or not) is answered, never acted on, and
        # a malformed one cannot crash the consumer while decoding.
        await self.send_json(
            {"type": "error", "code": "invalid", "detail": _("This socket only sends.")}
        )

    async def notify_frame(self, event: dict) -> None:
        await self.send_json(event["frame"])

    async def access_recheck(self, event: dict) -> None:
        """Access may be gone: the session ended, the member was suspended or erased."""
        ended = event.get("ended_session")
        if (ended and ended == self.session_key) or not await self.still_allowed():
            await self.close(code=CLOSE_NOT_SIGNED_IN)

    @database_sync_to_async
    def still_allowed(self) -> bool:
        user = User.objects.filter(pk=self.user.pk).first()
        if user is None or not is_member(user) or user.access_epoch != self.epoch:
            return False
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        return not self.session_key or store.exists(self.session_key)
