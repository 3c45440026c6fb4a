"""Workshops: scheduled online sessions with registration, a live room, Q&A and an archive.

Times are stored in UTC (USE_TZ); `time_zone` is the zone the facilitators planned the
workshop in, shown beside each member's own zone and used when its times are edited.
Denormalised counters (`seat_count`, `vote_count`) are kept by the services under row locks.
"""

import functools
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_QUESTION = 500
MAX_ANNOUNCEMENT = 1000

# Paths under /workshops/ that are not workshops: a workshop may not take these slugs.
RESERVED_SLUGS = {"new", "calendar", "calendar-token", "feeds"}


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted (read from disk once)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(_("Choose a time zone from the list."), code="invalid_time_zone")


class Workshop(models.Model):
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION, blank=True)
    # Rendered and sanitised once, by the services that save the description.
    description_html = models.TextField(blank=True, editable=False)
    agenda = models.TextField(_("agenda"), max_length=MAX_DESCRIPTION, blank=True)
    agenda_html = models.TextField(blank=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="workshops_facilitated",
        verbose_name=_("facilitators"),
    )
    # Seats for members who register one by one; None: no limit. A cohort's members take
    # part by right and take no seat.
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    is_registration_open = models.BooleanField(_("members may register"), default=True)
    cohort = models.ForeignKey(
        "profiles.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("training cohort taking part"),
    )
    # Where follow-up discussion and the archive go; a private category is readable by the
    # workshop's participants (forums.permissions).
    category = models.ForeignKey(
        "forums.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("forum category"),
    )
    # Made with the workshop (closed); facilitators open it when the session starts.
    room = models.OneToOneField(
        "chat.Room",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop",
        editable=False,
    )
    is_qa_enabled = models.BooleanField(_("Q&A mode"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The first time a facilitator opened the live room (members were told then).
    room_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by the "end workshop" service, with the forum topic holding the transcript.
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    archive_topic = models.ForeignKey(
        "forums.Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Denormalised by the registration services (under a lock on this row).
    seat_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        indexes = [
            models.Index(fields=["starts_at", "id"], name="workshop_upcoming"),
            models.Index(fields=["ends_at", "id"], name="workshop_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="workshop_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:workshop-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is used by the workshops pages.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A workshop ends after it starts.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def has_ended(self) -> bool:
        return self.ended_at is not None or self.ends_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seat_count)


class Registration(models.Model):
    """A member's seat in a workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "member"], name="one_seat_per_member"),
        ]
        indexes = [models.Index(fields=["member", "workshop"], name="registration_by_member")]

    def __str__(self) -> str:
        return f"{self.member} → {self.workshop}"


class Question(models.Model):
    """A participant's question in Q&A mode; others upvote it, facilitators answer it."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_questions"
    )
    body = models.TextField(_("question"), max_length=MAX_QUESTION)
    body_html = models.TextField(editable=False)
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A facilitator may withdraw an abusive or off-topic question from the list.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Denormalised by the vote service: the rows in QuestionVote.
    vote_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            # An "ask" re-sent after a reconnect or a double click stores one question.
            models.UniqueConstraint(
                fields=["workshop", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="one_question_per_client_id",
            ),
        ]
        indexes = [
            models.Index(
                "workshop",
                models.F("vote_count").desc(),
                "created_at",
                name="question_ranking",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "voter"], name="one_vote_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.question_id}"


class Announcement(models.Model):
    """A facilitator's announcement pinned above the live room (the agenda, a link, a break)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("announcement"), max_length=MAX_ANNOUNCEMENT)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    unpinned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_pinned(self) -> bool:
        return self.unpinned_at is None


class Reminder(models.TextChoices):
    DAY_BEFORE = "24h", _("a day before")
    SHORTLY_BEFORE = "15m", _("15 minutes before")


class ReminderSent(models.Model):
    """One reminder of one workshop, sent: the job that sends reminders never sends it twice."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    reminder = models.CharField(max_length=8, choices=Reminder)
    sent_at = models.DateTimeField(default=timezone.now)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "reminder"], name="one_reminder_per_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id} {self.reminder}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a member's calendar feed address; resetting it breaks the old address."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar of {self.member}"
