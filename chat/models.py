"""Chat rooms, their messages, read markers and the moderation log."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_BODY = 4000  # characters in one message (SPEC)
MAX_CLIENT_ID = 64


class RoomKind(models.TextChoices):
    CATEGORY = "category", _("forum category room")
    WORKSHOP = "workshop", _("workshop room")
    DIRECT = "direct", _("direct messages")


class Room(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=RoomKind)
    # A category room follows its category's reading rules (forums.permissions.can_read).
    category = models.OneToOneField(
        "forums.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="live_room",
    )
    # Direct rooms: the two members. Workshop rooms: who was let in, until the workshop's own
    # registration decides (chat.permissions.can_enter_workshop_room).
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="chat_rooms"
    )
    # "<lower id>-<higher id>" for a direct room, so a pair has one room whoever opens it.
    direct_key = models.CharField(max_length=41, null=True, blank=True, unique=True)
    is_open = models.BooleanField(_("open"), default=True)
    slow_mode_seconds = models.PositiveIntegerField(_("slow mode (seconds)"), default=0)
    # Set under the room's row lock with each message: ids then increase in commit order.
    last_message_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chat:room-detail", kwargs={"slug": self.slug})

    @property
    def is_direct(self) -> bool:
        return self.kind == RoomKind.DIRECT


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    # PROTECT, as for forum posts: accounts are erased by anonymising the row, so others'
    # conversations keep their thread; a hard delete is refused while messages exist.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chat_messages"
    )
    body = models.TextField(_("message"), max_length=MAX_BODY)
    body_html = models.TextField(editable=False)  # sanitised when saved, never at display
    client_id = models.CharField(max_length=MAX_CLIENT_ID)
    # The room's previous message when this one was stored: a client that last saw another
    # id knows it missed something and syncs.
    previous_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        constraints = [
            # A client re-sending after a reconnect gets its first copy back, never a second.
            models.UniqueConstraint(
                fields=["room", "author", "client_id"], name="chat_message_once"
            )
        ]
        indexes = [models.Index(fields=["room", "id"], name="chat_message_room_id")]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ReadMarker(models.Model):
    """The last message a member has seen in a room: unread counts start after it."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_markers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_read_markers"
    )
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_one_marker_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.room} up to {self.last_read_id}"


class Mute(models.Model):
    """A member who may read but not post in a room until `until`."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_mutes"
    )
    until = models.DateTimeField(_("muted until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_one_mute_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} muted in {self.room} until {self.until:%Y-%m-%d %H:%M}"


class ModerationAction(models.Model):
    """The log of every moderation step in chat: who did what to whom, and when."""

    class Kind(models.TextChoices):
        DELETE = "delete", _("deleted a message")
        MUTE = "mute", _("muted a member")
        UNMUTE = "unmute", _("unmuted a member")
        SLOW_MODE = "slow_mode", _("set slow mode")
        CLOSE = "close", _("closed the room")
        OPEN = "open", _("opened the room")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="moderation_actions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the action changed, for review: the deleted text, the mute period, the delay.
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("chat moderation action")
        verbose_name_plural = _("chat moderation actions")

    def __str__(self) -> str:
        return f"{self.moderator} {self.get_kind_display()} in {self.room}"
