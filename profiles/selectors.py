"""Reads about members, shared by views, consumers and commands."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from profiles.models import Invitation, MembershipStatus, User


def get_usable_invitation(*, code: str, email: str | None = None) -> Invitation | None:
    """The invitation for `code` if it can still approve a sign-up with `email`."""
    now = timezone.now()
    invitation = (
        Invitation.objects.filter(code=code)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("cohort")
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    if invitation.email and invitation.email.lower() != (email or "").strip().lower():
        return None
    return invitation


def list_pending_members() -> QuerySet[User]:
    return User.objects.filter(status=MembershipStatus.PENDING).order_by("date_joined", "id")


def list_cohort_invitations() -> QuerySet[Invitation]:
    """Shared cohort codes (not emailed one-off invitations), newest first."""
    return (
        Invitation.objects.filter(email="", cohort__isnull=False)
        .select_related("cohort", "created_by")
        .order_by("-created_at")[:100]
    )
