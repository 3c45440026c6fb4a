"""Frames, error codes and group names of the chat sockets.

Everything that crosses the channel layer is built here from an allowlist of event types
and fields: client JSON never reaches `group_send`, so a client cannot choose which handler
runs on other sockets. Frames sent to every socket of a room are encoded to JSON once, by the
sender, not once per recipient.
"""

import json
from typing import Any, Literal, NotRequired, TypedDict

from django.utils.translation import gettext as _

from chat.models import MAX_BODY, Message, Room

MAX_FRAME_BYTES = 64 * 1024  # larger text frames are refused before JSON parsing
HISTORY_PAGE = 100  # messages per `history` frame

ErrorCode = Literal["invalid", "too_long", "rate_limited", "forbidden", "not_found", "closed"]
ERROR_CODES: frozenset[str] = frozenset(
    ["invalid", "too_long", "rate_limited", "forbidden", "not_found", "closed"]
)


class MemberFrame(TypedDict):
    username: str
    display_name: str


class MessageFrame(TypedDict):
    type: Literal["message"]
    id: int
    room: str
    author: MemberFrame
    body: str
    body_html: str
    created: str
    client_id: str
    previous_id: int | None  # beyond SPEC: the room's message before this one
    edited: NotRequired[str | None]


class HelloFrame(TypedDict):
    type: Literal["hello"]
    room: str
    you: MemberFrame
    last_id: int
    online: list[MemberFrame]
    count: int
    complete: bool
    is_open: bool
    slow_mode: int


class HistoryFrame(TypedDict):
    type: Literal["history"]
    messages: list[MessageFrame]
    has_more: bool


class ErrorFrame(TypedDict):
    type: Literal["error"]
    code: ErrorCode
    detail: str


def room_group(room_id: int) -> str:
    """Every socket open on one room, across processes."""
    return f"chat.room.{room_id}"


# Every process with room sockets, through one channel each: `access.recheck` events name the
# members whose sockets must re-check access (chat.revocation).
ACCESS_GROUP = "chat.access"


def member_group(user_id: int) -> str:
    """The member's notification and workshop Q&A sockets (room sockets listen through
    ACCESS_GROUP): told to re-check access by the same services."""
    return f"chat.member.{user_id}"


def member(user: Any) -> MemberFrame:
    return {"username": user.username, "display_name": user.name}


def message_frame(message: Message) -> MessageFrame:
    return {
        "type": "message",
        "id": message.id,
        "room": message.room.slug,
        "author": member(message.author),
        "body": message.body,
        "body_html": message.body_html,
        "created": message.created_at.isoformat(),
        "client_id": message.client_id,
        "previous_id": message.previous_id,
        "edited": message.edited_at.isoformat() if message.edited_at else None,
    }


def history_frame(messages: list[Message], *, has_more: bool) -> HistoryFrame:
    return {
        "type": "history",
        "messages": [message_frame(m) for m in messages],
        "has_more": has_more,
    }


def edited_frame(message: Message) -> dict:
    return {
        "type": "edited",
        "id": message.id,
        "room": message.room.slug,
        "body": message.body,
        "body_html": message.body_html,
        "edited": message.edited_at.isoformat() if message.edited_at else None,
    }


def deleted_frame(message: Message) -> dict:
    return {"type": "deleted", "id": message.id, "room": message.room.slug}


def room_state_frame(room: Room) -> dict:
    """Beyond SPEC: the room was closed, opened, or its slow mode changed."""
    return {
        "type": "room",
        "room": room.slug,
        "is_open": room.is_open,
        "slow_mode": room.slow_mode_seconds,
    }


def error_frame(code: ErrorCode, detail: str) -> ErrorFrame:
    assert code in ERROR_CODES, code
    return {"type": "error", "code": code, "detail": detail}


class FrameError(Exception):
    """A client frame the socket answers with an `error` frame (the connection stays open)."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


# Reading client frames: each check raises FrameError, naming what is wrong.


def check_size(text: str | None) -> str:
    """A text frame within MAX_FRAME_BYTES, checked before it is parsed."""
    if text is None:
        raise FrameError("invalid", _("Binary frames are not accepted: send JSON text."))
    if len(text) > MAX_FRAME_BYTES or (
        len(text) * 4 > MAX_FRAME_BYTES  # only then can the UTF-8 form be too long
        and len(text.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES
    ):
        raise FrameError("too_long", _("Frames are limited to 64 KiB."))
    return text


def parse(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise FrameError("invalid", _("Frames must be JSON objects.")) from None


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def message_fields(content: dict) -> tuple[str, str]:
    """A `message` frame's body and client id."""
    body, client_id = content.get("body"), content.get("client_id")
    if not isinstance(body, str):
        raise FrameError("invalid", _("A message needs a text `body`."))
    if not isinstance(client_id, str) or not client_id:
        raise FrameError("invalid", _("A message needs a `client_id` string."))
    if len(body) > MAX_BODY:
        raise FrameError(
            "too_long", _("Messages are limited to %(max)d characters.") % {"max": MAX_BODY}
        )
    return body, client_id


def sync_after(content: dict) -> int:
    after = content.get("after")
    if not is_id(after):
        raise FrameError("invalid", _("`after` must be a message id (0 for all)."))
    return after


def edit_fields(content: dict) -> tuple[int, str]:
    message_id, body = content.get("id"), content.get("body")
    if not is_id(message_id) or not isinstance(body, str):
        raise FrameError("invalid", _("`edit` needs a message `id` and a `body`."))
    return message_id, body


def delete_id(content: dict) -> int:
    message_id = content.get("id")
    if not is_id(message_id):
        raise FrameError("invalid", _("`delete` needs a message `id`."))
    return message_id


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


# Channel-layer events. Each maps to one consumer handler (`chat.frame` → `chat_frame`);
# nothing else may be sent, and only these fields.
EVENT_FIELDS: dict[str, frozenset[str]] = {
    # A frame for every socket of the room, already encoded.
    "chat.frame": frozenset({"text", "room_state", "message_id"}),
    # Someone is typing: sockets filter out their own and hidden members'.
    "chat.typing": frozenset({"user_id", "hidden", "text"}),
    # Who is online: `members` carries hidden ones; each socket shows what its viewer may see.
    "chat.presence": frozenset({"members", "count", "complete", "text"}),
    # Access may have changed: re-check; `ended_session` closes the sockets of that session.
    # To ACCESS_GROUP, `user_ids` names whose sockets re-check; to a member group, no one.
    "access.recheck": frozenset({"ended_session", "user_ids"}),
}


def event(kind: str, **fields: Any) -> dict:
    """A channel-layer event of an allowed kind with allowed fields only."""
    allowed = EVENT_FIELDS[kind]  # KeyError: not an event of ours
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"{kind} does not carry {sorted(unknown)}")
    return {"type": kind, **fields}


def frame_event(
    frame: dict, *, room_state: dict | None = None, message_id: int | None = None
) -> dict:
    fields: dict[str, Any] = {"text": encode(frame)}
    if message_id is not None:
        fields["message_id"] = message_id
    if room_state is not None:
        fields["room_state"] = room_state
    return event("chat.frame", **fields)


def member_of(entry: dict) -> MemberFrame:
    """The public part of a presence entry."""
    return {"username": entry["username"], "display_name": entry["display_name"]}
