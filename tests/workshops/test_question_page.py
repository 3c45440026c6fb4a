"""The Q&A page works without JavaScript: it lists questions by votes, with forms to ask,
vote and answer; it costs a fixed number of queries."""

import pytest

from tests.factories import UserFactory
from workshops import services
from workshops.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa_workshop(make_workshop):
    return make_workshop(is_qa_enabled=True)


@pytest.fixture
def participants(qa_workshop):
    members = UserFactory.create_batch(3)
    for member in members:
        services.register(workshop=qa_workshop, member=member)
    return members


def _page(qa_workshop):
    return f"/workshops/{qa_workshop.slug}/questions/"


def test_a_participant_asks_with_the_form(qa_workshop, participants, client_as):
    client = client_as(participants[0])
    form = client.get(_page(qa_workshop)).context["form"]

    response = client.post(
        _page(qa_workshop),
        {"body": "Can CSOs attend the country visit?", "client_id": form.initial["client_id"]},
        follow=True,
    )

    assert "Can CSOs attend the country visit?" in response.content.decode()
    assert Question.objects.filter(workshop=qa_workshop).count() == 1


def test_posting_the_same_form_twice_stores_one_question(qa_workshop, participants, client_as):
    client = client_as(participants[0])
    data = {"body": "Once only?", "client_id": "form-1"}

    client.post(_page(qa_workshop), data)
    client.post(_page(qa_workshop), data)

    assert Question.objects.filter(workshop=qa_workshop).count() == 1


def test_a_too_long_question_comes_back_with_what_was_typed(qa_workshop, participants, client_as):
    typed = "Why? " * 200

    response = client_as(participants[0]).post(
        _page(qa_workshop), {"body": typed, "client_id": "c1"}
    )

    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()
    assert typed.strip() in response.content.decode()


def test_votes_from_the_page_reorder_the_list(qa_workshop, participants, client_as):
    asker, first_voter, second_voter = participants
    older, _ = services.ask_question(workshop=qa_workshop, author=asker, body="Older question")
    newer, _ = services.ask_question(workshop=qa_workshop, author=asker, body="Newer question")

    for voter in (first_voter, second_voter):
        client_as(voter).post(f"{_page(qa_workshop)}{newer.pk}/vote/", {"action": "vote"})
    listed = client_as(asker).get(_page(qa_workshop)).context["questions"]

    assert [q.pk for q in listed] == [newer.pk, older.pk]


def test_facilitators_mark_answered_from_the_page(
    qa_workshop, participants, client_as, facilitator
):
    question, _ = services.ask_question(workshop=qa_workshop, author=participants[0], body="Q?")

    client_as(facilitator).post(f"{_page(qa_workshop)}{question.pk}/answer/", {"answered": "1"})
    refused = client_as(participants[1]).post(f"{_page(qa_workshop)}{question.pk}/answer/")

    assert Question.objects.get(pk=question.pk).is_answered
    assert refused.status_code == 403


def test_members_who_do_not_take_part_do_not_see_the_questions(qa_workshop, client_as, member):
    assert client_as(member).get(_page(qa_workshop)).status_code == 404


def test_the_page_costs_the_same_for_many_questions(
    qa_workshop, participants, client_as, django_assert_max_num_queries
):
    askers = UserFactory.create_batch(30)
    for asker in askers:
        services.register(workshop=qa_workshop, member=asker)
        question, _ = services.ask_question(workshop=qa_workshop, author=asker, body="Why?")
        services.vote(question=question, voter=participants[0])
    client = client_as(participants[0])

    with django_assert_max_num_queries(13):
        response = client.get(_page(qa_workshop))

    assert len(response.context["questions"]) == 30
    assert response.content.decode().count('aria-pressed="true"') == 30
