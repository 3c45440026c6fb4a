"""The live side of a workshop: its chat room, the facilitators' controls, and the archive.

Chat and forums own their tables; this module drives them through their services
(chat.services.set_room_open, set_slow_mode, mute_member; forums.services.create_topic and
reply), so their rules, logs and broadcasts apply as everywhere else.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chat import services as chat_services
from chat.models import Message, Room
from forums import services as forum_services
from forums.models import MAX_BODY, Access, Category, Topic
from notifications.models import Kind
from notifications.services import notify, text_for_recipient
from profiles.models import User
from workshops import permissions, selectors
from workshops.models import Workshop
from workshops.services import broadcast
from workshops.transcript import transcript_posts

# Where a workshop without a category of its own files its archive (a default category).
DEFAULT_ARCHIVE_CATEGORY = "se4u-workshops"


def attach_room(*, workshop: Workshop) -> Room:
    """Give a new workshop its live room, closed until a facilitator opens it."""
    room = chat_services.create_workshop_room(
        name=workshop.title, slug=f"workshop-{workshop.slug}", is_open=False
    )
    Workshop.objects.filter(pk=workshop.pk).update(room=room)
    workshop.room = room
    return room


def attach_private_category(*, workshop: Workshop) -> Category:
    """A forum category readable only by the workshop's participants (and moderators).

    Forums has no service that creates categories (staff make them in the admin), so the
    row is made here, under the default workshops category.
    """
    parent = Category.objects.filter(slug=DEFAULT_ARCHIVE_CATEGORY).first()
    base = f"workshop-{workshop.slug}"[:90]
    slug, number = base, 1
    while Category.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    category = Category.objects.create(
        slug=slug,
        name=workshop.title[:160],
        description=_("Follow-up of the workshop “%(title)s”, for its participants.")
        % {"title": workshop.title},
        kind="cohort",
        parent=parent,
        access=Access.PRIVATE,
        cohort=workshop.cohort,
        order=parent.order if parent else 0,
    )
    Workshop.objects.filter(pk=workshop.pk).update(category=category)
    workshop.category = category
    return category


def _locked(workshop: Workshop) -> Workshop:
    return (
        Workshop.objects.select_for_update(of=("self",)).select_related("room").get(pk=workshop.pk)
    )


def _require_manager(by: User, workshop: Workshop) -> None:
    if not permissions.can_manage(by, workshop):
        raise PermissionDenied


def _require_live(workshop: Workshop) -> None:
    if workshop.is_cancelled:
        raise ValidationError(_("This workshop was cancelled."), code="cancelled")
    if workshop.ended_at is not None:
        raise ValidationError(_("This workshop has ended."), code="ended")
    if workshop.room is None:
        raise ValidationError(_("This workshop has no live room."), code="no_room")


@transaction.atomic
def open_room(*, workshop: Workshop, by: User) -> Workshop:
    """Open the live room: participants may enter; the first time, they are told."""
    workshop = _locked(workshop)
    _require_manager(by, workshop)
    _require_live(workshop)
    chat_services.set_room_open(room=workshop.room, moderator=by, is_open=True)
    if workshop.room_opened_at is None:
        workshop.room_opened_at = timezone.now()
        workshop.save(update_fields=["room_opened_at"])
        _tell_room_opened(workshop, by=by)
    broadcast(workshop.pk, {"type": "room", "is_open": True})
    return workshop


def _tell_room_opened(workshop: Workshop, *, by: User) -> None:
    text = text_for_recipient(
        gettext_noop("The live room of “%(title)s” is open."), title=workshop.title
    )
    url = workshop.get_absolute_url()
    for member in selectors.list_participants_to_notify(workshop=workshop):
        if permissions.can_manage(member, workshop):
            continue  # facilitators opened it themselves
        notify(
            recipient=member,
            kind=Kind.WORKSHOP_ROOM_OPENED,
            text=text,
            url=url,
            actor=by,
            once_key=f"workshop-room-opened:{workshop.pk}",
        )


@transaction.atomic
def close_room(*, workshop: Workshop, by: User) -> Workshop:
    """Close the live room: participants leave it (their sockets re-check access)."""
    workshop = _locked(workshop)
    _require_manager(by, workshop)
    if workshop.room is None:
        raise ValidationError(_("This workshop has no live room."), code="no_room")
    _close(workshop, by=by)
    return workshop


def _close(workshop: Workshop, *, by: User) -> None:
    if workshop.room.is_open:
        chat_services.set_room_open(room=workshop.room, moderator=by, is_open=False)
        chat_services.recheck_member_sockets(
            user_ids=list(selectors.participant_ids(workshop=workshop))
        )
        broadcast(workshop.pk, {"type": "room", "is_open": False})


def shut_room(*, workshop: Workshop, by: User) -> None:
    """Close the room of a cancelled workshop, if it has one (called by cancel_workshop)."""
    workshop = _locked(workshop)
    if workshop.room is not None:
        _close(workshop, by=by)


@transaction.atomic
def set_slow_mode(*, workshop: Workshop, by: User, seconds: int) -> Room:
    workshop = _locked(workshop)
    _require_manager(by, workshop)
    _require_live(workshop)
    return chat_services.set_slow_mode(room=workshop.room, moderator=by, seconds=seconds)


@transaction.atomic
def mute_participant(*, workshop: Workshop, by: User, member: User, minutes: int) -> None:
    """Keep a member from posting in the live room for a while; they can still read."""
    workshop = _locked(workshop)
    _require_manager(by, workshop)
    _require_live(workshop)
    if not permissions.is_participant(member, workshop):
        raise ValidationError(_("That member does not take part."), code="not_found")
    if permissions.can_manage(member, workshop):
        raise ValidationError(_("Facilitators cannot be muted here."), code="invalid")
    chat_services.mute_member(room=workshop.room, moderator=by, member=member, minutes=minutes)


@transaction.atomic
def unmute_participant(*, workshop: Workshop, by: User, member: User) -> None:
    workshop = _locked(workshop)
    _require_manager(by, workshop)
    _require_live(workshop)
    chat_services.unmute_member(room=workshop.room, moderator=by, member=member)


def archive_category(workshop: Workshop) -> Category | None:
    """The category the archive goes to: the workshop's own, else the default one."""
    if workshop.category_id:
        return workshop.category
    return Category.objects.filter(slug=DEFAULT_ARCHIVE_CATEGORY).first()


@transaction.atomic
def end_workshop(*, workshop: Workshop, by: User) -> Topic:
    """End the workshop: close its room and write the transcript (every message in order,
    the answered questions, the announcements) into a forum topic in its category.

    Ending twice returns the first archive. If the forum refuses the topic (no category,
    posting limit), nothing changes and the error is raised.
    """
    workshop = _locked(workshop)
    _require_manager(by, workshop)
    if workshop.ended_at is not None and workshop.archive_topic_id:
        return workshop.archive_topic
    if workshop.is_cancelled:
        raise ValidationError(_("This workshop was cancelled."), code="cancelled")
    category = archive_category(workshop)
    if category is None:
        raise ValidationError(
            _("Choose a forum category for this workshop first."), code="no_category"
        )
    if workshop.room is not None:
        _close(workshop, by=by)
    messages = (
        Message.objects.filter(room=workshop.room, deleted_at__isnull=True).select_related("author")
        if workshop.room is not None
        else Message.objects.none()
    )
    posts = transcript_posts(
        workshop=workshop,
        messages=messages.order_by("id").iterator(chunk_size=500),
        questions=workshop.questions.filter(hidden_at__isnull=True, answered_at__isnull=False)
        .select_related("author")
        .order_by("-vote_count", "answered_at", "id"),
        announcements=workshop.announcements.select_related("author").order_by("created_at", "id"),
        max_length=MAX_BODY,
    )
    title = _("Transcript: %(title)s") % {"title": workshop.title}
    topic = forum_services.create_topic(
        author=by, category=category, title=title[:200], body=posts[0]
    )
    for body in posts[1:]:
        forum_services.reply(author=by, topic=topic, body=body)
    workshop.ended_at = timezone.now()
    workshop.archive_topic = topic
    workshop.save(update_fields=["ended_at", "archive_topic"])
    broadcast(workshop.pk, {"type": "ended", "archive": topic.get_absolute_url()})
    return topic
