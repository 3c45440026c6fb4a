"""WebSocket frames speak the language of the page that opened the socket."""

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.utils import translation

from network.asgi import application
from tests.chat.factories import RoomFactory
from tests.chat.sockets import db, next_frame
from tests.sockets import SITE_ORIGIN, session_cookie_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

BINARY_REFUSED = "Binary frames are not accepted: send JSON text."


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text, f"the {language} catalogue lacks {text!r}"
    return translated


async def error_detail_for(member, headers: list[tuple[bytes, bytes]]) -> str:
    room = await db(RoomFactory)()
    cookie = (await session_cookie_for(member)).encode()
    cookies = [value for name, value in headers if name == b"cookie"]
    others = [(name, value) for name, value in headers if name != b"cookie"]
    all_cookies = b"; ".join([cookie, *cookies])
    socket = WebsocketCommunicator(
        application,
        f"/ws/chat/{room.slug}/",
        headers=[(b"origin", SITE_ORIGIN), (b"cookie", all_cookies), *others],
    )
    connected, _detail = await socket.connect()
    assert connected
    await next_frame(socket, "hello")
    await socket.send_to(bytes_data=b"\x00binary")
    detail = (await next_frame(socket, "error"))["detail"]
    await socket.disconnect()
    return detail


async def test_the_language_cookie_chooses_the_language_of_error_details(member):
    cookie = f"{settings.LANGUAGE_COOKIE_NAME}=fr".encode()

    detail = await error_detail_for(member, [(b"cookie", cookie)])

    assert detail == in_language("fr", BINARY_REFUSED)


async def test_without_a_cookie_the_browsers_preference_chooses(member):
    detail = await error_detail_for(member, [(b"accept-language", b"es-ES,es;q=0.9,en;q=0.5")])

    assert detail == in_language("es", BINARY_REFUSED)


async def test_without_either_the_frames_are_in_english(member):
    assert await error_detail_for(member, []) == BINARY_REFUSED
