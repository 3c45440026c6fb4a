"""Frames and group names of the notifications socket (/ws/notifications/).

server → client: `hello` {unread} on connect; `notification` when one arrives; `unread`
{unread} when the count changes otherwise (read in another tab); `error` {code, detail} for
anything a client sends (the socket only listens).
"""

from typing import TypedDict


class HelloFrame(TypedDict):
    type: str  # "hello"
    unread: int


class NotificationFrame(TypedDict):
    type: str  # "notification"
    id: int
    kind: str
    kind_label: str
    text: str
    url: str
    created: str
    unread: int


class UnreadFrame(TypedDict):
    type: str  # "unread"
    unread: int


def member_group(user_id: int) -> str:
    return f"notify.user.{user_id}"
