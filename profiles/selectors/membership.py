"""Reads for membership: invitations, members waiting for approval, reports."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from profiles.models import Invitation, MembershipStatus, Report, User


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


def list_reports(*, viewer: User, resolved: bool = False) -> QuerySet[Report]:
    return Report.objects.filter(resolved_at__isnull=not resolved).select_related(
        "reporter", "member", "resolved_by"
    )
