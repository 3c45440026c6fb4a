"""Frames sent to a workshop's live room after a write."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from workshops import protocol
from workshops.models import (
    Question,
    Workshop,
)


def broadcast(workshop_id: int, frame: dict) -> None:
    """Send `frame` to every socket on the workshop once the transaction commits."""

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(
            protocol.workshop_group(workshop_id), {"type": "workshop.frame", "frame": frame}
        )

    transaction.on_commit(send, robust=True)


def broadcast_question(question: Question) -> None:
    broadcast(question.workshop_id, dict(protocol.question_frame(question)))


def broadcast_announcements(workshop: Workshop) -> None:
    pinned = workshop.announcements.filter(unpinned_at__isnull=True).order_by("created_at", "id")
    items = [protocol.announcement_item(announcement) for announcement in pinned]
    broadcast(workshop.pk, {"type": "announcements", "announcements": items})
