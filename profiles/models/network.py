"""Between members: connections, blocks, and reports to moderators."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Connection(models.Model):
    """A connection request from one member to another; accepted, it links them both ways."""

    class State(models.TextChoices):
        PENDING = "pending", _("requested")
        ACCEPTED = "accepted", _("connected")

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_sent"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_received"
    )
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_user", "to_user"], name="one_connection_per_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_user=models.F("to_user")), name="no_self_connection"
            ),
        ]
        indexes = [models.Index(fields=["to_user", "state"])]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user} ({self.state})"


class Block(models.Model):
    """`blocker` no longer hears from `blocked`: no messages, mentions, requests or notices."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


class Report(models.Model):
    """A member's report of a profile, for moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        IMPERSONATION = "impersonation", _("pretends to be someone else")
        HARASSMENT = "harassment", _("harassment or threats")
        UNSAFE = "unsafe", _("puts members at risk")
        OTHER = "other", _("something else")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_received"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.member} ({self.reason})"
