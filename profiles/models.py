"""Members and membership: accounts, approval, cohorts, invitations, connections, blocks."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SUSPENDED = "suspended", _("suspended")


class User(AbstractUser):
    """An account. Only an approved account is a member: see profiles.permissions."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    status = models.CharField(
        _("membership"), max_length=20, choices=MembershipStatus, default=MembershipStatus.PENDING
    )
    is_moderator = models.BooleanField(
        _("moderator"), default=False, help_text=_("Approves members, moderates forums and chat.")
    )
    is_facilitator = models.BooleanField(
        _("facilitator"), default=False, help_text=_("Runs workshops.")
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Bumped when a member loses access (logout everywhere, suspension): open sockets that
    # connected under an older epoch are closed.
    access_epoch = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [models.Index(fields=["status", "date_joined"])]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_approved(self) -> bool:
        return self.status == MembershipStatus.APPROVED and self.is_active

    @property
    def is_pending(self) -> bool:
        return self.status == MembershipStatus.PENDING

    def get_absolute_url(self) -> str:
        return reverse("profiles:member-detail", kwargs={"username": self.username})


class Cohort(models.Model):
    """A training cohort (an SE4U course run or workshop series)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cohorts", blank=True, verbose_name=_("members")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training cohort")
        verbose_name_plural = _("training cohorts")

    def __str__(self) -> str:
        return self.name


def new_invitation_code() -> str:
    return secrets.token_urlsafe(12)


class Invitation(models.Model):
    """A code that approves an account at sign-up: shared with a cohort, or emailed to one."""

    code = models.CharField(_("code"), max_length=64, unique=True, default=new_invitation_code)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(_("for email"), blank=True, help_text=_("Empty: anyone may use it."))
    max_uses = models.PositiveIntegerField(_("uses allowed"), default=1)
    use_count = models.PositiveIntegerField(_("times used"), default=0)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.cohort.name if self.cohort else self.email or self.code

    @property
    def is_usable(self) -> bool:
        if self.use_count >= self.max_uses:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


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


class Profile(models.Model):
    """What a member tells others about themselves; who sees which field is in privacy.py."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_type = models.ForeignKey(
        "taxonomy.StakeholderType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder type"),
    )
    country = CountryField(_("country"), blank=True, db_index=True)
    expertise = TaggableManager(_("expertise"), blank=True)
    # Hidden means hidden everywhere: directory, search, counts, map, feeds, chat presence
    # (where only the member's connections still see them).
    hidden_from_directory = models.BooleanField(_("hide me from the directory"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)
