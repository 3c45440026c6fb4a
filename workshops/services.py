"""Every write to workshops: scheduling, registration, Q&A, announcements, calendar tokens.

The live room (open, close, slow mode, mute) and the archive are in `workshops.live`, which
drives chat and forums through their services.
"""

from datetime import datetime

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chat import limits
from chat import services as chat_services
from chat.models import Room
from network.markdown import render_markdown, render_markdown_lite
from profiles.models import Cohort, User
from profiles.permissions import is_facilitator, is_member
from workshops import permissions, protocol
from workshops.models import (
    MAX_ANNOUNCEMENT,
    MAX_DESCRIPTION,
    MAX_QUESTION,
    MAX_TITLE,
    RESERVED_SLUGS,
    Announcement,
    CalendarToken,
    Question,
    QuestionVote,
    Registration,
    ReminderSent,
    Workshop,
    new_calendar_token,
    validate_time_zone,
)

MAX_CLIENT_ID = 64


# Scheduling ---------------------------------------------------------------------------------


def _check_schedule(
    *,
    title: str,
    description: str,
    agenda: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
) -> None:
    if not title.strip():
        raise ValidationError(_("A workshop needs a title."), code="required")
    if len(title) > MAX_TITLE or max(len(description), len(agenda)) > MAX_DESCRIPTION:
        raise ValidationError(_("That text is too long."), code="too_long")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Times need a time zone."), code="naive_time")
    if ends_at <= starts_at:
        raise ValidationError(_("A workshop ends after it starts."), code="ends_before_start")
    validate_time_zone(time_zone)


def _check_capacity(capacity: int | None) -> None:
    if capacity is not None and capacity < 1:
        raise ValidationError(_("A workshop needs at least one seat."), code="invalid_capacity")


def _unique_slug(title: str, wanted: str = "") -> str:
    base = slugify(wanted or title)[:80].strip("-") or "workshop"
    if base in RESERVED_SLUGS:
        base = f"{base}-workshop"
    slug, number = base, 1
    while Workshop.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _check_facilitators(facilitators: list[User]) -> None:
    for person in facilitators:
        if not is_facilitator(person):
            raise ValidationError(
                _("%(name)s is not a facilitator.") % {"name": person.name}, code="not_facilitator"
            )


@transaction.atomic
def create_workshop(
    *,
    by: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str = "UTC",
    description: str = "",
    agenda: str = "",
    capacity: int | None = None,
    cohort: Cohort | None = None,
    category=None,
    create_private_category: bool = False,
    facilitators: list[User] | None = None,
    is_registration_open: bool = True,
    is_qa_enabled: bool = False,
    slug: str = "",
) -> Workshop:
    """Schedule a workshop with its (closed) live room; `by` facilitates it.

    With `create_private_category`, a forum category readable only by its participants is
    made for the follow-up and the archive; otherwise `category` (if any) receives them.
    """
    if not permissions.can_create(by):
        raise PermissionDenied
    _check_schedule(
        title=title, description=description, agenda=agenda, starts_at=starts_at,
        ends_at=ends_at, time_zone=time_zone,
    )  # fmt: skip
    _check_capacity(capacity)
    others = [person for person in facilitators or [] if person.pk != by.pk]
    _check_facilitators(others)
    workshop = Workshop.objects.create(
        title=title.strip(),
        slug=_unique_slug(title, slug),
        description=description,
        description_html=render_markdown(description),
        agenda=agenda,
        agenda_html=render_markdown(agenda),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        capacity=capacity,
        cohort=cohort,
        category=category,
        is_registration_open=is_registration_open,
        is_qa_enabled=is_qa_enabled,
        created_by=by,
    )
    workshop.facilitators.add(by, *others)
    from workshops import live  # live imports this module

    live.attach_room(workshop=workshop)
    if create_private_category:
        live.attach_private_category(workshop=workshop)
    return workshop


@transaction.atomic
def update_workshop(
    *,
    workshop: Workshop,
    by: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    description: str = "",
    agenda: str = "",
    capacity: int | None = None,
    cohort: Cohort | None = None,
    category=None,
    facilitators: list[User] | None = None,
    is_registration_open: bool = True,
) -> Workshop:
    """Change what a workshop is and when. Seats already taken stay taken when the capacity
    shrinks; a new start time makes its reminders due again."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not permissions.can_manage(by, workshop):
        raise PermissionDenied
    if workshop.ended_at is not None:
        raise ValidationError(_("This workshop has ended."), code="ended")
    _check_schedule(
        title=title, description=description, agenda=agenda, starts_at=starts_at,
        ends_at=ends_at, time_zone=time_zone,
    )  # fmt: skip
    _check_capacity(capacity)
    if facilitators is not None:
        if not facilitators:
            raise ValidationError(_("A workshop needs a facilitator."), code="no_facilitator")
        current = set(workshop.facilitators.values_list("pk", flat=True))
        _check_facilitators([person for person in facilitators if person.pk not in current])
    if starts_at != workshop.starts_at:
        ReminderSent.objects.filter(workshop=workshop).delete()
    workshop.title = title.strip()
    workshop.description = description
    workshop.description_html = render_markdown(description)
    workshop.agenda = agenda
    workshop.agenda_html = render_markdown(agenda)
    workshop.starts_at, workshop.ends_at, workshop.time_zone = starts_at, ends_at, time_zone
    workshop.capacity = capacity
    workshop.cohort = cohort
    workshop.category = category
    workshop.is_registration_open = is_registration_open
    workshop.save()
    if facilitators is not None:
        workshop.facilitators.set(facilitators)
        # A new facilitator takes part by right and needs no seat.
        _release_seats(workshop=workshop, member_ids=[person.pk for person in facilitators])
    return workshop


@transaction.atomic
def cancel_workshop(*, workshop: Workshop, by: User) -> Workshop:
    """Call a workshop off: no more registration, no room, no reminders. Kept listed."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not permissions.can_manage(by, workshop):
        raise PermissionDenied
    if workshop.ended_at is not None:
        raise ValidationError(_("This workshop has ended."), code="ended")
    if workshop.cancelled_at is None:
        workshop.cancelled_at = timezone.now()
        workshop.save(update_fields=["cancelled_at"])
        from workshops import live

        live.shut_room(workshop=workshop, by=by)
    return workshop


# Registration -------------------------------------------------------------------------------


@transaction.atomic
def register(*, workshop: Workshop, member: User) -> Registration:
    """Give `member` a seat. Raises ValidationError(code="full") when none is left.

    The workshop row is locked first, so two members racing for the last seat are served
    one after the other: one gets it, the other is told the workshop is full.
    """
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if permissions.is_registered(member, workshop):
        return workshop.registrations.get(member=member)
    if not permissions.can_register(member, workshop):
        raise PermissionDenied
    if workshop.capacity is not None and workshop.seat_count >= workshop.capacity:
        raise ValidationError(_("This workshop is full."), code="full")
    registration = Registration.objects.create(workshop=workshop, member=member)
    Workshop.objects.filter(pk=workshop.pk).update(seat_count=F("seat_count") + 1)
    return registration


@transaction.atomic
def unregister(*, workshop: Workshop, member: User) -> bool:
    """Give the seat back; returns False when the member had none."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not permissions.is_registered(member, workshop):
        return False
    if not permissions.can_unregister(member, workshop):
        raise PermissionDenied
    _release_seats(workshop=workshop, member_ids=[member.pk])
    return True


def _release_seats(*, workshop: Workshop, member_ids: list[int]) -> None:
    released, _detail = Registration.objects.filter(
        workshop=workshop, member_id__in=member_ids
    ).delete()
    if released:
        Workshop.objects.filter(pk=workshop.pk).update(seat_count=F("seat_count") - released)


# Q&A ----------------------------------------------------------------------------------------


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
    _broadcast_question(question)
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
    _broadcast_question(question)
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
        _broadcast_question(question)
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
        _broadcast_question(question)
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


# Announcements ------------------------------------------------------------------------------


@transaction.atomic
def pin_announcement(*, workshop: Workshop, by: User, body: str) -> Announcement:
    if not permissions.can_manage(by, workshop):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ValidationError(_("Write the announcement first."), code="invalid")
    if len(body) > MAX_ANNOUNCEMENT:
        raise ValidationError(_("That announcement is too long."), code="too_long")
    announcement = Announcement.objects.create(
        workshop=workshop, author=by, body=body, body_html=render_markdown_lite(body)
    )
    room = Room.objects.filter(pk=workshop.room_id, is_open=True).first()
    if room is not None:  # said in the live room too, so those in it see it arrive
        chat_services.post_message(
            room=room, author=by, body=f"📌 {body}", client_id=f"announcement-{announcement.pk}"
        )
    _broadcast_announcements(workshop)
    return announcement


@transaction.atomic
def unpin_announcement(*, announcement: Announcement, by: User) -> Announcement:
    if not permissions.can_manage(by, announcement.workshop):
        raise PermissionDenied
    if announcement.unpinned_at is None:
        announcement.unpinned_at = timezone.now()
        announcement.save(update_fields=["unpinned_at"])
        _broadcast_announcements(announcement.workshop)
    return announcement


# Calendar -----------------------------------------------------------------------------------


@transaction.atomic
def get_calendar_token(*, member: User) -> CalendarToken:
    """The member's calendar feed token, made on first use."""
    if not is_member(member):
        raise PermissionDenied
    token, _created = CalendarToken.objects.get_or_create(member=member)
    return token


@transaction.atomic
def reset_calendar_token(*, member: User) -> CalendarToken:
    """A new secret: the old feed address stops working at once."""
    if not is_member(member):
        raise PermissionDenied
    token, created = CalendarToken.objects.get_or_create(member=member)
    if not created:
        token.token = new_calendar_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token


# Broadcasts ---------------------------------------------------------------------------------


def broadcast(workshop_id: int, frame: dict) -> None:
    """Send `frame` to every socket on the workshop once the transaction commits."""

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(
            protocol.workshop_group(workshop_id), {"type": "workshop.frame", "frame": frame}
        )

    transaction.on_commit(send, robust=True)


def _broadcast_question(question: Question) -> None:
    broadcast(question.workshop_id, dict(protocol.question_frame(question)))


def _broadcast_announcements(workshop: Workshop) -> None:
    pinned = workshop.announcements.filter(unpinned_at__isnull=True).order_by("created_at", "id")
    items = [protocol.announcement_item(announcement) for announcement in pinned]
    broadcast(workshop.pk, {"type": "announcements", "announcements": items})
