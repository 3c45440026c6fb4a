"""Frames, error codes and group names of the chat sockets."""


def member_group(user_id: int) -> str:
    """Every chat socket of one member, whatever the room: used to re-check access."""
    return f"chat.member.{user_id}"
