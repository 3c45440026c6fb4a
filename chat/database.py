"""Database calls of the room sockets, on a connection kept open between calls.

WebSocket consumers run outside any request, so every socket's database work in a process
runs on one thread (asgiref's single sync thread). With CONN_MAX_AGE=0, which the site needs
for its request threads (each request has a thread of its own, and kept connections would
pile up), Channels' `database_sync_to_async` closes that one thread's connection after each
call: every chat message then opened a new PostgreSQL connection, most of a message's cost
and a ceiling of about 50 messages a second per process (measured with bench/chat.py).

`socket_database` is `database_sync_to_async` that keeps that thread's connection open for up
to `CHAT_SOCKET_CONNECTION_SECONDS` (60) while the process has room sockets. Django still
closes it at once when it is broken or was left inside a transaction, and checks its health
before reuse (CONN_HEALTH_CHECKS). When the process's last room socket leaves,
`release_connection` closes it: an idle process holds no connection.
"""

import time

from channels.db import DatabaseSyncToAsync
from django.conf import settings
from django.db import close_old_connections, connections


def _keep_seconds() -> float:
    return float(getattr(settings, "CHAT_SOCKET_CONNECTION_SECONDS", 60))


def _keep_open() -> None:
    """Give connections this thread just opened a longer life (once per connection)."""
    keep = _keep_seconds()
    if keep <= 0:
        return
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if raw is None or connection.close_at is None:
            continue  # closed, or kept forever by CONN_MAX_AGE=None already
        if getattr(connection, "chat_kept", None) is not raw:
            connection.chat_kept = raw
            connection.close_at = max(connection.close_at, time.monotonic() + keep)


class SocketDatabaseSyncToAsync(DatabaseSyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        close_old_connections()
        try:
            return super(DatabaseSyncToAsync, self).thread_handler(loop, *args, **kwargs)
        finally:
            _keep_open()
            close_old_connections()  # broken or mid-transaction ones still go at once


socket_database = SocketDatabaseSyncToAsync


def _release() -> None:
    for connection in connections.all(initialized_only=True):
        connection.close()


release_connection = socket_database(_release)
