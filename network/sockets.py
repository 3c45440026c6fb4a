"""What every WebSocket consumer of the site shares: refusing with the SPEC's close codes."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from profiles.permissions import is_member

CLOSE_NOT_SIGNED_IN = 4401  # anonymous, pending approval, rejected or suspended
CLOSE_FORBIDDEN = 4403  # a member, but not allowed here
CLOSE_NOT_FOUND = 4404  # no such room (or one the member may not know of)


class MemberConsumer(AsyncJsonWebsocketConsumer):
    """Accepts only approved members; everyone else is accepted, then closed with 4401.

    A close before accept() reaches browsers only as a bare HTTP 403, so we accept first
    and close with a code the client can act on.
    """

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        if not is_member(self.user):
            await self.refuse(CLOSE_NOT_SIGNED_IN)
            return
        await self.member_connected()

    async def refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def member_connected(self) -> None:
        await self.accept()
