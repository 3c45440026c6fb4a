"""Frames and group names of the notifications socket (/ws/notifications/)."""

from typing import TypedDict


class NotificationFrame(TypedDict):
    type: str  # "notification"
    id: int
    kind: str
    text: str
    url: str
    created: str
    unread: int


def member_group(user_id: int) -> str:
    return f"notify.user.{user_id}"
