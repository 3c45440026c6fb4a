"""Members' private calendar feed tokens."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from profiles.models import User
from profiles.permissions import is_member
from workshops.models import (
    CalendarToken,
    new_calendar_token,
)


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
