"""Q&A: questions are listed by votes, each member votes once, answered ones go last."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.factories import UserFactory
from workshops import selectors, services
from workshops.models import Question, QuestionVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa_workshop(make_workshop):
    return make_workshop(is_qa_enabled=True)


def _participants(workshop, count):
    members = UserFactory.create_batch(count)
    for member in members:
        services.register(workshop=workshop, member=member)
    return members


def _ask(workshop, author, body):
    question, _created = services.ask_question(workshop=workshop, author=author, body=body)
    return question


def test_the_most_voted_question_comes_first(qa_workshop, facilitator):
    asker, *voters = _participants(qa_workshop, 4)
    quiet = _ask(qa_workshop, asker, "How do we join the country visit?")
    popular = _ask(qa_workshop, asker, "Where is the self-assessment checklist?")
    for voter in voters:
        services.vote(question=popular, voter=voter)
    services.vote(question=quiet, voter=voters[0])

    listed = selectors.list_questions(viewer=facilitator, workshop=qa_workshop)

    assert [(q.pk, q.vote_count) for q in listed] == [(popular.pk, 3), (quiet.pk, 1)]


def test_a_member_votes_once_however_often_they_click(qa_workshop):
    asker, voter = _participants(qa_workshop, 2)
    question = _ask(qa_workshop, asker, "Is there a French session?")

    services.vote(question=question, voter=voter)
    _question, counted = services.vote(question=question, voter=voter)

    assert counted is False
    assert Question.objects.get(pk=question.pk).vote_count == 1
    assert QuestionVote.objects.filter(question=question).count() == 1


def test_a_withdrawn_vote_no_longer_counts(qa_workshop):
    asker, voter = _participants(qa_workshop, 2)
    question = _ask(qa_workshop, asker, "Will slides be shared?")
    services.vote(question=question, voter=voter)

    services.unvote(question=question, voter=voter)

    assert Question.objects.get(pk=question.pk).vote_count == 0


def test_nobody_votes_for_their_own_question(qa_workshop):
    (asker,) = _participants(qa_workshop, 1)
    question = _ask(qa_workshop, asker, "Mine?")

    with pytest.raises(ValidationError) as refused:
        services.vote(question=question, voter=asker)

    assert refused.value.code == "own_question"


def test_answered_questions_follow_the_open_ones(qa_workshop, facilitator):
    asker, voter = _participants(qa_workshop, 2)
    answered = _ask(qa_workshop, asker, "Popular but answered")
    services.vote(question=answered, voter=voter)
    still_open = _ask(qa_workshop, asker, "Nobody voted yet")

    services.mark_answered(question=answered, by=facilitator)

    listed = selectors.list_questions(viewer=facilitator, workshop=qa_workshop)
    assert [q.pk for q in listed] == [still_open.pk, answered.pk]
    assert listed[1].is_answered


def test_members_who_do_not_take_part_cannot_ask(qa_workshop, member):
    with pytest.raises(PermissionDenied):
        services.ask_question(workshop=qa_workshop, author=member, body="Let me in")


def test_questions_wait_for_q_and_a_mode(workshop):
    (participant,) = _participants(workshop, 1)

    with pytest.raises(PermissionDenied):
        services.ask_question(workshop=workshop, author=participant, body="Too early")


def test_only_facilitators_mark_questions_answered(qa_workshop):
    asker, other = _participants(qa_workshop, 2)
    question = _ask(qa_workshop, asker, "Who answers?")

    with pytest.raises(PermissionDenied):
        services.mark_answered(question=question, by=other)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_all_count_and_a_member_counts_once(make_workshop):
    workshop = make_workshop(is_qa_enabled=True)
    asker, *voters = _participants(workshop, 5)
    first = _ask(workshop, asker, "First")
    second = _ask(workshop, asker, "Second")
    # Every voter votes for `second` twice at once, and the first two also for `first`.
    ballots = [(second, voter) for voter in voters for _twice in range(2)]
    ballots += [(first, voter) for voter in voters[:2]]
    start = threading.Barrier(len(ballots))
    failures = []

    def cast(question, voter):
        try:
            start.wait(timeout=20)
            services.vote(question=question, voter=voter)
        except Exception as error:  # reported by the assertion below
            failures.append(repr(error))
        finally:
            connection.close()  # this thread's own connection: give it back now

    threads = [threading.Thread(target=cast, args=ballot) for ballot in ballots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    listed = selectors.list_questions(viewer=asker, workshop=workshop)
    assert failures == []
    assert [(q.pk, q.vote_count) for q in listed] == [(second.pk, 4), (first.pk, 2)]
    assert QuestionVote.objects.filter(question=second).count() == 4
