"""A member's chat data, for the data export and account erasure in profiles.services.

Messages stay when an account is erased (others' conversations keep their thread, credited
to a former member); what only concerned the member goes: read markers and mutes.
"""

from django.db import transaction

from chat.models import Message, Mute, ReadMarker


def export_member_data(*, member) -> dict:
    messages = (
        Message.objects.filter(author=member, deleted_at__isnull=True)
        .select_related("room")
        .order_by("id")
    )
    return {
        "chat_messages": [
            {
                "room": message.room.name,
                "created_at": message.created_at.isoformat(),
                "edited_at": message.edited_at.isoformat() if message.edited_at else None,
                "body": message.body,
            }
            for message in messages
        ]
    }


@transaction.atomic
def erase_member_data(*, member) -> None:
    ReadMarker.objects.filter(user=member).delete()
    Mute.objects.filter(user=member).delete()
