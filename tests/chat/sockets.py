"""Helpers for chat socket tests."""

from channels.db import database_sync_to_async

from tests.sockets import open_socket


async def next_frame(socket, kind: str, limit: int = 20, timeout: float = 3) -> dict:
    """The next frame of type `kind`, skipping others (presence, typing) on the way."""
    for _ in range(limit):
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


async def join(room, user):
    """An open socket on `room` as `user`, past its hello; returns (socket, hello)."""
    socket = await open_socket(f"/ws/chat/{room.slug}/", user)
    hello = await next_frame(socket, "hello")
    return socket, hello


async def send_message(socket, body: str, client_id: str) -> None:
    await socket.send_json_to({"type": "message", "body": body, "client_id": client_id})


def db(function):
    """Run a sync callable on the database thread: db(lambda: ...)()."""
    return database_sync_to_async(function)


async def drain(socket, quiet: float = 0.3) -> list[dict]:
    """Every frame that arrives until the socket has been quiet for `quiet` seconds."""
    frames = []
    while not await socket.receive_nothing(timeout=quiet):
        frames.append(await socket.receive_json_from())
    return frames
