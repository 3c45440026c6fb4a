"""A workshop's pinned announcements."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import services as chat_services
from chat.models import Room
from network.markdown import render_markdown_lite
from profiles.models import User
from workshops import permissions
from workshops.models import (
    MAX_ANNOUNCEMENT,
    Announcement,
    Workshop,
)
from workshops.services.broadcasts import broadcast_announcements


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
    broadcast_announcements(workshop)
    return announcement


@transaction.atomic
def unpin_announcement(*, announcement: Announcement, by: User) -> Announcement:
    if not permissions.can_manage(by, announcement.workshop):
        raise PermissionDenied
    if announcement.unpinned_at is None:
        announcement.unpinned_at = timezone.now()
        announcement.save(update_fields=["unpinned_at"])
        broadcast_announcements(announcement.workshop)
    return announcement
