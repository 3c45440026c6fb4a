"""The live room socket: `/ws/chat/<slug>/`, speaking the SPEC's chat protocol.

Thin by design: storing, permission checks and rendering live in services and selectors
shared with the pages, reading frames in chat.protocol. The consumer answers every bad frame
with an `error` (the connection stays open), relays events built by our code, keeps presence
fresh, and re-checks access when told to (or every few heartbeats, in case that word was lost).
Room events reach it through its process's relay (`chat.fanout`), the word to re-check
through its process's access listener (`chat.revocation`): a socket has no channel of its own.
"""

import itertools
import logging
import time
import uuid
from importlib import import_module
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from chat import limits, permissions, presence, protocol, selectors, services
from chat.database import release_connection, socket_database
from chat.fanout import local_sockets
from chat.models import Room
from network.sockets import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_NOT_SIGNED_IN
from profiles.models import User
from profiles.permissions import is_member

logger = logging.getLogger(__name__)


def _session_store() -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore()


# Presence keys sockets by these, unique across processes (sockets have no channel name).
_PROCESS = uuid.uuid4().hex[:12]
_numbers = itertools.count(1)


def _room_refusal(user: User, room: Room | None) -> int | None:
    """The close code for a member who may not be in `room` (the pages' rules), or None."""
    if room is None or not permissions.can_see(user, room):
        return CLOSE_NOT_FOUND
    if not permissions.can_enter(user, room):
        return CLOSE_FORBIDDEN
    return None


class RoomConsumer(AsyncJsonWebsocketConsumer):
    user: User
    room: Room
    sight: permissions.PresenceSight  # whom the member sees online and typing
    live = False  # greeted and allowed: frames are handled and events relayed
    joined = False  # receiving the room's events through the process's relay
    watched = False  # told when the member's access may have changed
    recheck_due: dict | None = None  # that word came while connecting
    closing = False

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        """As Channels' own, without a channel-layer channel for this socket: events reach it
        through its process's relay and access listener, so it needs no subscription, queue
        or second waiting task of its own (most of an idle socket's memory on Redis)."""
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        self.presence_key = f"{_PROCESS}.{next(_numbers)}"
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def connect(self) -> None:
        # Accept first: the handshake completes at once even in a reconnect storm, and the
        # checks below queue on the database thread instead of racing Daphne's handshake
        # timeout. Refusals then close with a code the client can act on.
        await self.accept()
        self.user = self.scope.get("user")
        if not is_member(self.user):
            await self.close(code=CLOSE_NOT_SIGNED_IN)
            return
        # A few sockets of the process enter at a time: their steps queue on the database
        # thread anyway, and a storm of 1,000 half-entered sockets holding their
        # intermediate data at once left a larger heap behind (bench/chat.py).
        async with local_sockets().entering:
            await self.enter()

    async def enter(self) -> None:
        # Listen for revocation before checking access: a change from now on is heard.
        self.member_id = self.user.pk
        self.watched = True  # before the wait: `disconnect` then always unwatches
        await local_sockets().access.watch(self)
        refusal = await self.load(self.scope["url_route"]["kwargs"]["slug"])
        if refusal:
            await self.close(code=refusal)
            return
        self.allowance = limits.FrameAllowance()
        self.typing_at = float("-inf")  # not 0.0: the monotonic clock starts near 0 at boot
        self.seen_id = 0
        self.large = False
        session: SessionBase | None = self.scope.get("session")
        self.session_key = session.session_key if session is not None else None
        # Room events arrive through the process's relay, which holds the one shared room.
        self.room = await local_sockets().join(self)
        self.joined = True
        # Read after joining the room's relay: whatever commits later reaches this socket live.
        last_id = await socket_database(selectors.last_message_id)(room=self.room)
        self.seen_id = last_id
        online, count = await presence.enter(self.room.pk, self.presence_key, self.presence_entry())
        self.large = online is None or count > presence.large_room_threshold()
        shown = [] if self.large else self.sight.visible(online)
        hello: protocol.HelloFrame = {
            "type": "hello",
            "room": self.room.slug,
            "you": protocol.member(self.user),
            "last_id": last_id,
            "online": [protocol.member_of(m) for m in shown],
            "count": count,
            "complete": not self.large,
            "is_open": self.room.is_open,
            "slow_mode": self.room.slow_mode_seconds,
        }
        await self.send_json(hello)
        self.live = True
        await presence.schedule_broadcast(self.room.pk, self.room.slug)
        local_sockets().add(self)
        if self.recheck_due is not None:
            await self.access_recheck(self.recheck_due)

    async def dispatch(self, message: dict) -> None:
        """As Channels' own, without its database-thread round trip before every event:
        that hop, once per recipient of every broadcast, was most of the cost of a message.
        Everything here that touches the database runs through `socket_database`,
        which closes stale connections itself (chat.database)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    @socket_database
    def load(self, slug: str) -> int | None:
        room = selectors.get_room(slug=slug)
        user = self.member_now()
        if user is None:
            return CLOSE_NOT_SIGNED_IN
        refusal = _room_refusal(user, room)
        if refusal:
            return refusal
        self.room = room
        self.epoch = user.access_epoch
        self.keep(user)
        return None

    def member_now(self) -> User | None:
        """The socket's member as the database has them now, if still a member."""
        user = User.objects.select_related("profile").filter(pk=self.member_id).first()
        return user if user is not None and is_member(user) else None

    def keep(self, user: User) -> None:
        """Keep the member just checked, with what presence needs of them."""
        self.user = user
        self.sight = permissions.presence_sight(user)
        self.hidden = selectors.is_hidden(member=user)
        self.travel_light(user)

    def travel_light(self, user: User) -> None:
        """An idle socket keeps one copy of its member and nothing it no longer needs:
        the profile (read above) is dropped, the session middleware's copy of the member
        is replaced by ours, and the session's decoded data goes (only its key is used:
        `still_allowed` asks the store whether it still exists)."""
        user._state.fields_cache.pop("profile", None)
        lazy = self.scope.get("user")
        if lazy is not None and getattr(lazy, "_wrapped", None) is not None:
            lazy._wrapped = user
        session = getattr(self.scope.get("session"), "_wrapped", None)
        if isinstance(session, SessionBase) and session.session_key:
            session.__dict__.pop("_session_cache", None)

    def presence_entry(self) -> presence.OnlineMember:
        return presence.entry(self.user, hidden=self.hidden)

    async def disconnect(self, code: int) -> None:
        self.live = False
        if self.watched:
            self.watched = False
            await local_sockets().access.unwatch(self)
        if not self.joined:
            return
        self.joined = False
        await local_sockets().leave(self)
        try:
            await presence.store().leave(self.room.pk, self.presence_key)
        except Exception:
            logger.warning("chat: presence store unavailable", exc_info=True)
        await presence.schedule_broadcast(self.room.pk, self.room.slug)
        if self.seen_id:
            await socket_database(services.mark_read)(
                room=self.room, member=self.user, last_id=self.seen_id
            )
        if not local_sockets().rooms:  # the process's last room socket: free its connection
            await release_connection()

    # Frames from the client

    async def websocket_receive(self, message: dict) -> None:
        """Check a frame's kind and size before parsing it, then dispatch."""
        if not self.live:
            return
        try:
            text = protocol.check_size(message.get("text"))
            if not self.allowance.take():
                raise protocol.FrameError("rate_limited", _("Too many frames. Slow down."))
            content = protocol.parse(text)
        except protocol.FrameError as error:
            await self.send_error(error.code, error.detail)
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Every refusal a handler meets becomes an `error` frame, named by its code."""
        kind = content.get("type") if isinstance(content, dict) else None
        handler = self.handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.send_error("invalid", _("Unknown or missing frame type."))
            return
        try:
            await handler(self, content)
        except protocol.FrameError as error:
            await self.send_error(error.code, error.detail)
        except (PermissionDenied, ValidationError) as error:
            await self.refused(error)
        except Exception:  # a bug must cost one frame, not the member's connection
            logger.exception("chat: frame %r failed", kind)
            await self.send_error("invalid", _("That frame could not be handled. Try again."))

    async def send_error(self, code: protocol.ErrorCode, detail: str) -> None:
        await self.send_json(protocol.error_frame(code, detail))

    async def refused(self, error: Exception) -> None:
        if isinstance(error, PermissionDenied):
            await self.send_error("forbidden", str(error) or _("You cannot do that here."))
            return
        assert isinstance(error, ValidationError)
        code = error.code if error.code in protocol.ERROR_CODES else "invalid"
        await self.send_error(code, " ".join(error.messages))

    async def on_message(self, content: dict) -> None:
        frame, created = await self.post(*protocol.message_fields(content))
        if not created:  # a retry: the room already has it, only the sender needs it back
            await self.send_json(frame)

    @socket_database
    def post(self, body: str, client_id: str) -> tuple[protocol.MessageFrame, bool]:
        message, created = services.post_message(
            room=self.room, author=self.user, body=body, client_id=client_id, entry_checked=True
        )
        return protocol.message_frame(message), created

    async def on_sync(self, content: dict) -> None:
        frame, last = await self.history(protocol.sync_after(content))
        self.seen_id = max(self.seen_id, last)
        await self.send_json(frame)

    @socket_database
    def history(self, after: int) -> tuple[protocol.HistoryFrame, int]:
        messages, has_more = selectors.messages_after(room=self.room, after=after)
        last = messages[-1].pk if messages else 0
        return protocol.history_frame(messages, has_more=has_more), last

    async def on_typing(self, content: dict) -> None:
        now = time.monotonic()
        if now - self.typing_at < 2:  # ephemeral: extra typing frames are simply folded in
            return
        self.typing_at = now
        await services.announce_typing(
            room=self.room, member=self.user, hidden=self.hidden, large=self.large
        )

    async def on_presence(self, content: dict) -> None:
        """The full list on request (large rooms send only a count)."""
        members = await presence.store().online(self.room.pk)
        shown = self.sight.visible(members)
        frame = presence.presence_frame(
            self.room.slug, shown, count=len(presence.public(members)), complete=True
        )
        await self.send_json(frame)

    async def on_edit(self, content: dict) -> None:
        message_id, body = protocol.edit_fields(content)
        await socket_database(services.edit_message)(
            room=self.room, message_id=message_id, editor=self.user, body=body
        )

    async def on_delete(self, content: dict) -> None:
        await socket_database(services.delete_message)(
            room=self.room, message_id=protocol.delete_id(content), actor=self.user
        )

    handlers = {
        "message": on_message,
        "sync": on_sync,
        "typing": on_typing,
        "presence": on_presence,
        "edit": on_edit,
        "delete": on_delete,
    }

    # Events from the channel layer (built by services from protocol's allowlist)

    async def send_text(self, text: str) -> None:
        """A frame already encoded, straight to the server: once per recipient of every
        broadcast, so without the two layers of `send` in between."""
        await self.base_send({"type": "websocket.send", "text": text})

    async def chat_frame(self, event: dict) -> None:
        if not self.live:
            return
        state = event.get("room_state")
        if state:
            self.room.is_open = state["is_open"]
            self.room.slow_mode_seconds = state["slow_mode"]
        message_id = event.get("message_id")
        if message_id:
            self.seen_id = max(self.seen_id, message_id)
        await self.send_text(event["text"])

    async def chat_typing(self, event: dict) -> None:
        if not self.live or event["user_id"] == self.user.pk:
            return
        if event["user_id"] and not self.sight.may_see(event["user_id"], event["hidden"]):
            return
        await self.send_text(event["text"])

    async def chat_presence(self, event: dict) -> None:
        if not self.live:
            return
        self.large = not event["complete"]
        members = event["members"]
        if not self.sight.sees_differently(members):  # the common case: one frame for all
            await self.send_text(event["text"])
            return
        frame = presence.presence_frame(
            self.room.slug, self.sight.visible(members), count=event["count"], complete=True
        )
        await self.send_json(frame)

    # Room events, handed to each local socket by its process's relay (chat.fanout).
    relayed = {
        "chat.frame": chat_frame,
        "chat.typing": chat_typing,
        "chat.presence": chat_presence,
    }

    async def access_recheck(self, event: dict) -> None:
        """Access may be gone: logout, suspension, lost approval, a block, removal."""
        if not self.live:
            if self.watched and not self.closing:  # still connecting: check once greeted
                self.recheck_due = event
            return
        ended = event.get("ended_session")
        if ended and ended == self.session_key:
            await self.revoke(CLOSE_NOT_SIGNED_IN)
            return
        refusal = await self.still_allowed()
        if refusal:
            await self.revoke(refusal)

    @socket_database
    def still_allowed(self) -> int | None:
        user = self.member_now()
        if user is None or user.access_epoch != self.epoch:
            return CLOSE_NOT_SIGNED_IN
        if self.session_key and not _session_store().exists(self.session_key):
            return CLOSE_NOT_SIGNED_IN  # signed out elsewhere, or the session was flushed
        refusal = _room_refusal(user, selectors.get_room(slug=self.room.slug))
        if refusal:
            return refusal
        self.keep(user)  # connections, blocks and hiding may have changed
        return None

    async def revoke(self, code: int) -> None:
        # Stop relaying at once; the close follows.
        self.live = False
        self.closing = True
        await self.close(code=code)
