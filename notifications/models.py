from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MENTION = "mention", _("mentions")
    REPLY = "reply", _("replies in watched topics")
    NEW_TOPIC = "new_topic", _("new topics in watched categories")
    DIRECT_MESSAGE = "direct_message", _("direct messages")
    CONNECTION_REQUEST = "connection_request", _("connection requests")
    CONNECTION_ACCEPTED = "connection_accepted", _("accepted connections")
    MEMBERSHIP_APPROVED = "membership_approved", _("membership approval")
    WORKSHOP_REMINDER = "workshop_reminder", _("workshop reminders")
    WORKSHOP_ROOM_OPENED = "workshop_room_opened", _("workshop rooms opening")


class Delivery(models.TextChoices):
    """How a member wants one kind of notification by email."""

    IMMEDIATELY = "immediately", _("by email at once")
    DAILY = "daily", _("in a daily digest")
    NEVER = "never", _("not by email")


# What a member who never visited the settings page gets. Things that wait on the member
# (messages, mentions, live workshops) go at once; the rest is gathered into one email a day.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.MENTION: Delivery.IMMEDIATELY,
    Kind.REPLY: Delivery.DAILY,
    Kind.NEW_TOPIC: Delivery.DAILY,
    Kind.DIRECT_MESSAGE: Delivery.IMMEDIATELY,
    Kind.CONNECTION_REQUEST: Delivery.DAILY,
    Kind.CONNECTION_ACCEPTED: Delivery.DAILY,
    Kind.WORKSHOP_REMINDER: Delivery.IMMEDIATELY,
    Kind.WORKSHOP_ROOM_OPENED: Delivery.IMMEDIATELY,
}
# Kinds a member may receive by email. Approval is left out: the moderation service already
# emails its decision, and a member cannot be approved twice.
EMAIL_KINDS: list[str] = [kind for kind in Kind.values if kind in DEFAULT_DELIVERY]


class EmailStatus(models.TextChoices):
    NONE = "", _("not emailed")
    DUE = "due", _("waiting to be emailed")
    SENT = "sent", _("emailed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=40, choices=Kind)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # A caller's key for "this event, once" (a reminder per workshop and lead time): a second
    # notify() with the same key for the same member stores nothing.
    once_key = models.CharField(max_length=120, blank=True, default="")
    # DUE from the moment a notification should be emailed (at once or in a digest) until an
    # email carried it, or the member's preference or reading it made the email moot.
    email_status = models.CharField(
        max_length=10, choices=EmailStatus, blank=True, default=EmailStatus.NONE
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-id"], name="notification_page"),
            # The sending command only ever scans what is still due.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(email_status="due"),
                name="notification_email_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "once_key"],
                condition=~Q(once_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.text


class EmailPreference(models.Model):
    """A member's choice for one kind; without a row, DEFAULT_DELIVERY applies."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind)
    delivery = models.CharField(max_length=20, choices=Delivery)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="one_email_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.kind} {self.delivery}"


class Digest(models.Model):
    """One daily digest email: at most one per member and day, whoever runs the command."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day}"
