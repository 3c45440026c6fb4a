"""Registering for a workshop and leaving it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from profiles.models import User
from workshops import permissions
from workshops.models import (
    Registration,
    Workshop,
)


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
    release_seats(workshop=workshop, member_ids=[member.pk])
    return True


def release_seats(*, workshop: Workshop, member_ids: list[int]) -> None:
    released, _detail = Registration.objects.filter(
        workshop=workshop, member_id__in=member_ids
    ).delete()
    if released:
        Workshop.objects.filter(pk=workshop.pk).update(seat_count=F("seat_count") - released)
