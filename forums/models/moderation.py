"""Reports on posts and the moderation log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models.posts import Post
from forums.models.topics import Topic


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Harassment or abuse")
        SAFETY = "safety", _("Puts someone's safety at risk")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    detail = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            # One open report per member and post: reporting twice adds nothing.
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_member",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"


class ModerationAction(models.TextChoices):
    PIN = "pin", _("pinned")
    UNPIN = "unpin", _("unpinned")
    LOCK = "lock", _("locked")
    UNLOCK = "unlock", _("unlocked")
    HIDE_TOPIC = "hide_topic", _("hid a topic")
    UNHIDE_TOPIC = "unhide_topic", _("unhid a topic")
    DELETE_TOPIC = "delete_topic", _("deleted a topic")
    RESTORE_TOPIC = "restore_topic", _("restored a topic")
    HIDE_POST = "hide_post", _("hid a post")
    UNHIDE_POST = "unhide_post", _("unhid a post")
    DELETE_POST = "delete_post", _("deleted a post")
    RESTORE_POST = "restore_post", _("restored a post")
    EDIT_POST = "edit_post", _("edited someone's post")
    MOVE = "move", _("moved a topic")
    SPLIT = "split", _("split posts into a new topic")
    SUMMARY = "summary", _("wrote the summary")
    DISMISS_REPORT = "dismiss_report", _("dismissed a report")


class ModerationLogEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ModerationAction)
    reason = models.TextField(blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()}"
