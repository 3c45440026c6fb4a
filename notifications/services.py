"""Storing notifications and pushing them to the member's open sockets."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from notifications import protocol
from notifications.models import Notification
from profiles.models import User
from profiles.permissions import is_blocked_between, is_member


def unread_count(*, member: User) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).count()


def notify(
    *, recipient: User, kind: str, text: str, url: str = "", actor: User | None = None
) -> Notification | None:
    """Store a notification and push it live once the transaction commits.

    Nothing is stored for a recipient who is not a member, for one's own actions, or
    between members where either blocked the other.
    """
    if not is_member(recipient) or (actor is not None and actor.pk == recipient.pk):
        return None
    if actor is not None and is_blocked_between(actor, recipient):
        return None
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, kind=kind, text=text[:300], url=url
    )
    transaction.on_commit(lambda: _push(notification))
    return notification


def _push(notification: Notification) -> None:
    frame: protocol.NotificationFrame = {
        "type": "notification",
        "id": notification.id,
        "kind": notification.kind,
        "text": notification.text,
        "url": notification.url,
        "created": notification.created_at.isoformat(),
        "unread": unread_count(member=notification.recipient),
    }
    async_to_sync(get_channel_layer().group_send)(
        protocol.member_group(notification.recipient_id),
        {"type": "notify.frame", "frame": frame},
    )
