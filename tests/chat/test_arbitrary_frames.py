"""Whatever a client throws at the room socket, it answers and stays usable."""

import json

import pytest
from asgiref.sync import async_to_sync
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.chat.factories import RoomFactory
from tests.chat.sockets import join
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

KNOWN_REPLIES = {"error", "message", "history", "presence", "typing", "edited", "deleted"}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
frame_types = st.sampled_from(
    ["message", "sync", "typing", "presence", "edit", "delete", "hello", "history",
     "chat.frame", "access.recheck", "websocket.close", "__init__"]
) | st.text(max_size=20)  # fmt: skip
protocolish = st.builds(
    lambda kind, fields: json.dumps({**fields, "type": kind}),
    frame_types,
    st.dictionaries(st.sampled_from(["body", "client_id", "after", "id", "text"]), json_values),
)
frames = (
    st.text(max_size=300).map(lambda text: ("text", text))
    | st.binary(max_size=100).map(lambda data: ("bytes", data))
    | json_values.map(lambda value: ("text", json.dumps(value)))
    | protocolish.map(lambda text: ("text", text))
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=frames)
def test_any_frame_gets_an_answer_or_is_harmless_and_the_socket_keeps_working(frame, settings):
    settings.CHAT_FRAME_BURST = 10_000
    settings.CHAT_RATE_BURST = 10_000
    room, user = RoomFactory(), UserFactory()

    async def scenario() -> list[dict]:
        socket, _ = await join(room, user)
        kind, data = frame
        await socket.send_input({"type": "websocket.receive", kind: data})  # even empty ones
        await socket.send_json_to({"type": "sync", "after": 10**12})  # the probe
        replies = []
        while True:
            reply = await socket.receive_json_from(timeout=3)
            replies.append(reply)
            if reply["type"] == "history":
                break
        await socket.disconnect()
        return replies

    replies = async_to_sync(scenario)()

    assert replies[-1] == {"type": "history", "messages": [], "has_more": False}
    assert {reply["type"] for reply in replies} <= KNOWN_REPLIES
