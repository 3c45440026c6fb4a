"""The live room socket: `/ws/chat/<slug>/`, speaking the SPEC's chat protocol.

Thin by design: storing, permission checks and rendering live in services and selectors
shared with the pages. The consumer decodes frames, answers every bad one with an `error`
(the connection stays open), relays events built by our code, keeps presence fresh, and
re-checks access when told to (or every few heartbeats, in case that word was lost).
Room events reach it through its process's relay (`chat.fanout`), the word to re-check
through its process's access listener (`chat.revocation`): a socket has no channel of its own.
"""

import itertools
import json
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
from chat.models import MAX_BODY, Room
from network.sockets import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_NOT_SIGNED_IN
from profiles.models import User
from profiles.permissions import is_member
from profiles.privacy import viewer_for

logger = logging.getLogger(__name__)


def _session_store() -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore()


# Presence keys sockets by these, unique across processes (sockets have no channel name).
_PROCESS = uuid.uuid4().hex[:12]
_numbers = itertools.count(1)
_NONE: frozenset[int] = frozenset()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class RoomConsumer(AsyncJsonWebsocketConsumer):
    user: User
    room: Room
    connected_ids: frozenset[int]  # the member's connections (they see them when hidden)
    unlisted_ids: frozenset[int]  # blocked either way: never shown to each other
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
        online, count = await self.enter_presence()
        self.large = online is None or count > presence.large_room_threshold()
        shown = [] if self.large else self.visible(online)
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
        user = User.objects.select_related("profile").filter(pk=self.user.pk).first()
        if user is None or not is_member(user):
            return CLOSE_NOT_SIGNED_IN
        if room is None or not permissions.can_see(user, room):
            return CLOSE_NOT_FOUND
        if not permissions.can_enter(user, room):
            return CLOSE_FORBIDDEN
        self.user, self.room = user, room
        self.epoch = user.access_epoch
        self.see_as(user)
        self.hidden = selectors.is_hidden(member=user)
        self.travel_light(user)
        return None

    def see_as(self, user: User) -> None:
        """Keep only the two id sets presence and typing need, not the whole viewer (and one
        shared empty set for the many members with no connections or blocks)."""
        viewer = viewer_for(user)
        self.connected_ids = viewer.connected_ids or _NONE
        self.unlisted_ids = viewer.unlisted_ids or _NONE

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
        return {
            "id": self.user.pk,
            "username": self.user.username,
            "display_name": self.user.name,
            "hidden": self.hidden,
        }

    async def enter_presence(self) -> tuple[list[presence.OnlineMember] | None, int]:
        """Enter the room's presence; who is online (None in a large room) and how many."""
        store = presence.store()
        try:
            await store.enter(self.room.pk, self.presence_key, self.presence_entry())
            return await store.snapshot(self.room.pk)
        except Exception:  # the shared store is restarting: the heartbeat puts us back
            logger.warning("chat: presence store unavailable", exc_info=True)
            return [self.presence_entry()], 0 if self.hidden else 1

    def may_see(self, member_id: int, hidden: bool) -> bool:
        """Presence and typing of another member: not across a block, and a member hidden
        from the directory only to their connections."""
        if member_id == self.user.pk:
            return True
        if member_id in self.unlisted_ids:
            return False
        return not hidden or member_id in self.connected_ids

    def visible(self, members: list[presence.OnlineMember]) -> list[presence.OnlineMember]:
        return [m for m in members if self.may_see(m["id"], m["hidden"])]

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
        text = message.get("text")
        if text is None:
            await self.send_error("invalid", _("Binary frames are not accepted: send JSON text."))
            return
        if len(text) > protocol.MAX_FRAME_BYTES or (
            len(text) * 4 > protocol.MAX_FRAME_BYTES
            and len(text.encode("utf-8", "surrogatepass")) > protocol.MAX_FRAME_BYTES
        ):
            await self.send_error("too_long", _("Frames are limited to 64 KiB."))
            return
        if not self.allowance.take():
            await self.send_error("rate_limited", _("Too many frames. Slow down."))
            return
        try:
            content = json.loads(text)
        except (ValueError, RecursionError):
            await self.send_error("invalid", _("Frames must be JSON objects."))
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = self.handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.send_error("invalid", _("Unknown or missing frame type."))
            return
        try:
            await handler(self, content)
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
        body, client_id = content.get("body"), content.get("client_id")
        if not isinstance(body, str):
            await self.send_error("invalid", _("A message needs a text `body`."))
            return
        if not isinstance(client_id, str) or not client_id:
            await self.send_error("invalid", _("A message needs a `client_id` string."))
            return
        if len(body) > MAX_BODY:
            await self.send_error(
                "too_long", _("Messages are limited to %(max)d characters.") % {"max": MAX_BODY}
            )
            return
        try:
            frame, created = await self.post(body, client_id)
        except (PermissionDenied, ValidationError) as error:
            await self.refused(error)
            return
        if not created:  # a retry: the room already has it, only the sender needs it back
            await self.send_json(frame)

    @socket_database
    def post(self, body: str, client_id: str) -> tuple[protocol.MessageFrame, bool]:
        message, created = services.post_message(
            room=self.room, author=self.user, body=body, client_id=client_id, entry_checked=True
        )
        return protocol.message_frame(message), created

    async def on_sync(self, content: dict) -> None:
        after = content.get("after")
        if not _is_int(after):
            await self.send_error("invalid", _("`after` must be a message id (0 for all)."))
            return
        frame, last = await self.history(after)
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
        shown = self.visible(members)
        frame = presence.presence_frame(
            self.room.slug, shown, count=len(presence.public(members)), complete=True
        )
        await self.send_json(frame)

    async def on_edit(self, content: dict) -> None:
        message_id, body = content.get("id"), content.get("body")
        if not _is_int(message_id) or not isinstance(body, str):
            await self.send_error("invalid", _("`edit` needs a message `id` and a `body`."))
            return
        try:
            await socket_database(services.edit_message)(
                room=self.room, message_id=message_id, editor=self.user, body=body
            )
        except (PermissionDenied, ValidationError) as error:
            await self.refused(error)

    async def on_delete(self, content: dict) -> None:
        message_id = content.get("id")
        if not _is_int(message_id):
            await self.send_error("invalid", _("`delete` needs a message `id`."))
            return
        try:
            await socket_database(services.delete_message)(
                room=self.room, message_id=message_id, actor=self.user
            )
        except (PermissionDenied, ValidationError) as error:
            await self.refused(error)

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
        if event["user_id"] and not self.may_see(event["user_id"], event["hidden"]):
            return
        await self.send_text(event["text"])

    async def chat_presence(self, event: dict) -> None:
        if not self.live:
            return
        self.large = not event["complete"]
        members = event["members"]
        personal = any(
            m["id"] in self.unlisted_ids or (m["hidden"] and self.may_see(m["id"], m["hidden"]))
            for m in members
        )
        if not personal:  # the common case: the frame encoded once for everyone
            await self.send_text(event["text"])
            return
        frame = presence.presence_frame(
            self.room.slug, self.visible(members), count=event["count"], complete=True
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
        user = User.objects.select_related("profile").filter(pk=self.user.pk).first()
        if user is None or not is_member(user) or user.access_epoch != self.epoch:
            return CLOSE_NOT_SIGNED_IN
        if self.session_key and not _session_store().exists(self.session_key):
            return CLOSE_NOT_SIGNED_IN  # signed out elsewhere, or the session was flushed
        room = selectors.get_room(slug=self.room.slug)
        if room is None or not permissions.can_see(user, room):
            return CLOSE_NOT_FOUND
        if not permissions.can_enter(user, room):
            return CLOSE_FORBIDDEN
        self.see_as(user)  # connections and blocks may have changed
        self.hidden = selectors.is_hidden(member=user)
        self.user = user
        self.travel_light(user)
        return None

    async def revoke(self, code: int) -> None:
        # Stop relaying at once; the close follows.
        self.live = False
        self.closing = True
        await self.close(code=code)
