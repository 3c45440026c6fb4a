"""Opening WebSockets as a given member, the way a browser on the site would."""

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from network.asgi import application

SITE_ORIGIN = b"http://localhost"


@database_sync_to_async
def session_cookie_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


async def connect(path: str, user=None, *, origin: bytes = SITE_ORIGIN):
    """A communicator for `path` as `user` (None: anonymous), after the handshake.

    Returns (communicator, connected, close_code_or_subprotocol) like WebsocketCommunicator.
    """
    headers = [(b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", (await session_cookie_for(user)).encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, detail = await communicator.connect()
    return communicator, connected, detail


async def open_socket(path: str, user, *, origin: bytes = SITE_ORIGIN) -> WebsocketCommunicator:
    """A connected communicator; fails the test if the server refused."""
    communicator, connected, detail = await connect(path, user, origin=origin)
    assert connected, f"socket refused: {detail}"
    return communicator
