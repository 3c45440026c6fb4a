"""The live Q&A socket: questions, votes and answers reach everyone at once; refusals close
with the site's codes; a bad frame gets an error and the socket stays open."""

import pytest
from channels.db import database_sync_to_async

from tests.factories import PendingUserFactory, UserFactory
from tests.sockets import connect, open_socket
from workshops import services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def qa_workshop(make_workshop):
    return make_workshop(is_qa_enabled=True)


@pytest.fixture
def participants(qa_workshop):
    members = UserFactory.create_batch(2)
    for member in members:
        services.register(workshop=qa_workshop, member=member)
    return members


def _path(workshop):
    return f"/ws/workshops/{workshop.slug}/"


async def _hello(path, user):
    socket = await open_socket(path, user)
    hello = await socket.receive_json_from(timeout=3)
    assert hello["type"] == "hello"
    return socket, hello


async def _close_code(path, user):
    socket, connected, _detail = await connect(path, user)
    assert connected
    output = await socket.receive_output(timeout=3)
    await socket.disconnect()
    assert output["type"] == "websocket.close"
    return output["code"]


async def test_a_question_reaches_everyone_and_votes_reorder_it(
    qa_workshop, participants, facilitator
):
    asker, voter = participants
    asking, _ = await _hello(_path(qa_workshop), asker)
    voting, _ = await _hello(_path(qa_workshop), voter)
    leading, hello = await _hello(_path(qa_workshop), facilitator)

    await asking.send_json_to({"type": "ask", "body": "Where is the checklist?", "client_id": "a1"})
    asked = await voting.receive_json_from(timeout=3)
    await voting.send_json_to({"type": "vote", "id": asked["id"]})
    replies = {}
    for _ in range(2):  # the vote's reply, and the count everyone sees
        frame = await voting.receive_json_from(timeout=3)
        replies[frame["type"]] = frame
    seen_by_facilitator = [await leading.receive_json_from(timeout=3) for _ in range(2)]

    assert hello["can_answer"] is True and hello["questions"] == []
    assert asked["type"] == "question" and asked["body"] == "Where is the checklist?"
    assert replies["voted"] == {"type": "voted", "id": asked["id"], "voted": True}
    assert replies["question"]["votes"] == 1
    assert [frame["votes"] for frame in seen_by_facilitator] == [0, 1]
    for socket in (asking, voting, leading):
        await socket.disconnect()


async def test_marking_answered_is_seen_live(qa_workshop, participants, facilitator):
    question, _ = await database_sync_to_async(services.ask_question)(
        workshop=qa_workshop, author=participants[0], body="Answer me"
    )
    watching, hello = await _hello(_path(qa_workshop), participants[1])
    leading, _ = await _hello(_path(qa_workshop), facilitator)

    await leading.send_json_to({"type": "answer", "id": question.pk})
    frame = await watching.receive_json_from(timeout=3)

    assert [q["id"] for q in hello["questions"]] == [question.pk]
    assert frame["type"] == "question" and frame["answered"] is True
    await watching.disconnect()
    await leading.disconnect()


async def test_participants_cannot_answer(qa_workshop, participants):
    question, _ = await database_sync_to_async(services.ask_question)(
        workshop=qa_workshop, author=participants[0], body="Can I answer myself?"
    )
    socket, _ = await _hello(_path(qa_workshop), participants[1])

    await socket.send_json_to({"type": "answer", "id": question.pk})
    reply = await socket.receive_json_from(timeout=3)

    assert reply == {"type": "error", "code": "forbidden", "detail": reply["detail"]}
    await socket.disconnect()


async def test_bad_frames_get_errors_and_the_socket_stays_open(qa_workshop, participants):
    socket, _ = await _hello(_path(qa_workshop), participants[0])

    await socket.send_to(text_data="not json")
    not_json = await socket.receive_json_from(timeout=3)
    await socket.send_json_to({"type": "shout"})
    unknown = await socket.receive_json_from(timeout=3)
    await socket.send_json_to({"type": "vote", "id": "seven"})
    bad_id = await socket.receive_json_from(timeout=3)
    await socket.send_json_to({"type": "vote", "id": 999999})
    missing = await socket.receive_json_from(timeout=3)
    await socket.send_json_to({"type": "ask", "body": "x" * 501, "client_id": "long"})
    too_long = await socket.receive_json_from(timeout=3)
    await socket.send_json_to({"type": "ask", "body": "Still here?", "client_id": "ok"})
    still_open = await socket.receive_json_from(timeout=3)

    assert [not_json["code"], unknown["code"], bad_id["code"], missing["code"]] == [
        "invalid",
        "invalid",
        "invalid",
        "not_found",
    ]
    assert too_long["code"] == "too_long"
    assert still_open["type"] == "question"
    await socket.disconnect()


async def test_an_ask_sent_twice_is_stored_once(qa_workshop, participants):
    socket, _ = await _hello(_path(qa_workshop), participants[0])

    await socket.send_json_to({"type": "ask", "body": "Once", "client_id": "same"})
    first = await socket.receive_json_from(timeout=3)
    await socket.send_json_to({"type": "ask", "body": "Once", "client_id": "same"})
    second = await socket.receive_json_from(timeout=3)

    assert first["id"] == second["id"]
    assert await database_sync_to_async(qa_workshop.questions.count)() == 1
    await socket.disconnect()


async def test_visitors_and_pending_members_get_4401(qa_workshop):
    pending = await database_sync_to_async(PendingUserFactory)()

    assert await _close_code(_path(qa_workshop), None) == 4401
    assert await _close_code(_path(qa_workshop), pending) == 4401


async def test_members_who_do_not_take_part_get_4403(qa_workshop, member):
    assert await _close_code(_path(qa_workshop), member) == 4403


async def test_an_unknown_workshop_gets_4404(member):
    assert await _close_code("/ws/workshops/no-such-workshop/", member) == 4404
