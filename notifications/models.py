from django.conf import settings
from django.db import models
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

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text
