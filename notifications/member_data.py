"""A member's notifications and email choices, for the data export and account erasure."""

from django.db import transaction

from notifications.models import Digest, EmailPreference, Notification


def export_member_data(*, member) -> dict:
    # Not the text: it names the other member who acted ("Carlos mentioned you"), and the
    # export holds nothing of others.
    return {
        "notifications": [
            {
                "kind": n.kind,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(recipient=member).order_by("id")
        ],
        "email_preferences": dict(
            EmailPreference.objects.filter(member=member).values_list("kind", "delivery")
        ),
    }


@transaction.atomic
def erase_member_data(*, member) -> None:
    # Notifications name other members and what they wrote to this one: nothing of it stays.
    Notification.objects.filter(recipient=member).delete()
    Digest.objects.filter(recipient=member).delete()
    EmailPreference.objects.filter(member=member).delete()
