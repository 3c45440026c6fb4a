"""A workshop's Q&A: asking, voting, answering, hiding."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import limits
from network.markdown import render_markdown_lite
from profiles.models import User
from workshops import permissions
from workshops.models import (
    MAX_QUESTION,
    Question,
    QuestionVote,
    Workshop,
)
from workshops.services.broadcasts import broadcast, broadcast_question

MAX_CLIENT_ID = 64


@transaction.atomic
def set_qa_mode(*, workshop: Workshop, by: User, enabled: bool) -> Workshop:
    if not permissions.can_manage(by, workshop):
        raise PermissionDenied
    if workshop.is_qa_enabled != enabled:
        workshop.is_qa_enabled = enabled
        workshop.save(update_fields=["is_qa_enabled"])
        broadcast(workshop.pk, {"type": "qa", "enabled": enabled})
    return workshop


@transaction.atomic
def ask_question(
    *, workshop: Workshop, author: User, body: str, client_id: str = ""
) -> tuple[Question, bool]:
    """Store a question and show it to everyone on the Q&A list once committed.

    A retry with the same client_id returns the stored question, created=False.
    """
    if not permissions.can_ask(author, workshop):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError(_("Write your question first."), code="invalid")
    if len(body) > MAX_QUESTION:
        raise ValidationError(
            _("A question has at most %(max)d characters.") % {"max": MAX_QUESTION},
            code="too_long",
        )
    if len(client_id) > MAX_CLIENT_ID:
        raise ValidationError(_("That request is malformed."), code="invalid")
    if client_id:
        existing = Question.objects.filter(
            workshop=workshop, author=author, client_id=client_id
        ).first()
        if existing is not None:
            return existing, False
    # A question spends from the same allowance as a chat message.
    if not limits.allow_message(user_id=author.pk):
        raise ValidationError(
            _("You are sending questions too quickly. Wait a moment."), code="rate_limited"
        )
    try:
        with transaction.atomic():
            question = Question.objects.create(
                workshop=workshop,
                author=author,
                body=body,
                body_html=render_markdown_lite(body),
                client_id=client_id,
            )
    except IntegrityError:  # the same client_id, committed a moment ago by a retry
        return Question.objects.get(workshop=workshop, author=author, client_id=client_id), False
    broadcast_question(question)
    return question, True


def _locked_question(question: Question) -> Question:
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("workshop", "author")
        .get(pk=question.pk)
    )


@transaction.atomic
def vote(*, question: Question, voter: User) -> tuple[Question, bool]:
    """Upvote a question, once per member: a second vote changes nothing (created=False).

    The vote row's unique constraint settles races between two requests of one member; the
    count is incremented in the database, so concurrent votes of many members all count.
    """
    question = Question.objects.select_related("workshop").get(pk=question.pk)
    workshop = question.workshop
    if not permissions.can_vote(voter, workshop) or question.hidden_at is not None:
        raise PermissionDenied
    if question.author_id == voter.pk:
        raise ValidationError(_("You cannot vote for your own question."), code="own_question")
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, voter=voter)
    except IntegrityError:
        return Question.objects.select_related("author").get(pk=question.pk), False
    Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
    question = Question.objects.select_related("author").get(pk=question.pk)
    broadcast_question(question)
    return question, True


@transaction.atomic
def unvote(*, question: Question, voter: User) -> tuple[Question, bool]:
    """Withdraw one's vote; returns removed=False when there was none."""
    if not permissions.can_vote(voter, question.workshop):
        raise PermissionDenied
    removed, _detail = QuestionVote.objects.filter(question=question, voter=voter).delete()
    if removed:
        Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") - removed)
    question = Question.objects.select_related("author").get(pk=question.pk)
    if removed:
        broadcast_question(question)
    return question, bool(removed)


@transaction.atomic
def mark_answered(*, question: Question, by: User, answered: bool = True) -> Question:
    question = _locked_question(question)
    if not permissions.can_answer(by, question.workshop):
        raise PermissionDenied
    if question.is_answered != answered:
        question.answered_at = timezone.now() if answered else None
        question.answered_by = by if answered else None
        question.save(update_fields=["answered_at", "answered_by"])
        broadcast_question(question)
    return question


@transaction.atomic
def hide_question(*, question: Question, by: User) -> Question:
    """Withdraw a question from the list (off topic, abusive); it stays out of the archive."""
    question = _locked_question(question)
    if not permissions.can_answer(by, question.workshop):
        raise PermissionDenied
    if question.hidden_at is None:
        question.hidden_at = timezone.now()
        question.save(update_fields=["hidden_at"])
        broadcast(question.workshop_id, {"type": "question_removed", "id": question.pk})
    return question
