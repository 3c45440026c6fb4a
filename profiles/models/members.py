"""Accounts and membership: members, approval, cohorts, invitations."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Paths under /members/ that are pages, not members: no account may take these names.
RESERVED_USERNAMES = frozenset({"me", "map", "connections", "export", "edit", "delete", "search"})


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
    # Set when the member deleted their account: the row stays (their posts remain, credited
    # to "former member") but every personal field is erased.
    erased_at = models.DateTimeField(_("account deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["status", "date_joined"]),
            # The directory's name order (case-insensitive), walked without sorting every row.
            models.Index(Lower("display_name"), "id", name="user_name_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.erased_at is not None:
            return str(_("former member"))
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
