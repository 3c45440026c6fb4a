"""Scheduling workshops: create, update, cancel, with the checks every schedule must pass."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from network.markdown import render_markdown
from profiles.models import Cohort, User
from profiles.permissions import is_facilitator
from workshops import permissions
from workshops.models import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    RESERVED_SLUGS,
    ReminderSent,
    Workshop,
    validate_time_zone,
)
from workshops.services.registration import release_seats


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
        release_seats(workshop=workshop, member_ids=[person.pk for person in facilitators])
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
