"""Membership: invitations, registration, approval, accounts made by staff, reports and
suspension."""

from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from network.languages import site_name
from notifications.models import Kind
from notifications.services import notify
from profiles import permissions
from profiles.models import (
    Cohort,
    Invitation,
    MembershipStatus,
    Profile,
    Report,
    User,
)
from profiles.services.common import email_member, recheck_sockets
from profiles.services.directory import directory_changed, refresh_directory
from taxonomy.models import ExpertiseTerm, StakeholderType


@transaction.atomic
def redeem_invitation(*, user: User, code: str) -> bool:
    """Approve `user` with the invitation `code` and add them to its cohort.

    Returns False, leaving the account pending, when the code was used up or expired
    meanwhile (the row is locked, so two sign-ups cannot both take its last use).
    """
    invitation = Invitation.objects.select_for_update().filter(code=code).first()
    if invitation is None or not invitation.is_usable:
        return False
    if invitation.email and invitation.email.lower() != user.email.lower():
        return False
    invitation.use_count += 1
    invitation.save(update_fields=["use_count"])
    user.status = MembershipStatus.APPROVED
    user.decided_at = timezone.now()
    user.decided_by = invitation.created_by
    user.save(update_fields=["status", "decided_at", "decided_by"])
    if invitation.cohort_id:
        invitation.cohort.members.add(user)
    refresh_directory(user_ids=[user.pk])
    directory_changed()
    return True


@transaction.atomic
def register_member(
    *, user: User, display_name: str = "", invitation_code: str = "", language: str = ""
) -> User:
    """Store a new sign-up: pending, unless a valid invitation approves it at once.

    `language` is the one the applicant signed up in: their emails (approval first) use it.
    """
    user.display_name = display_name.strip()
    user.status = MembershipStatus.PENDING
    user.save()
    profile, _created = Profile.objects.get_or_create(user=user)
    if language in dict(settings.LANGUAGES) and profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
    refresh_directory(profile_ids=[profile.pk])
    if invitation_code:
        redeem_invitation(user=user, code=invitation_code)
    return user


@transaction.atomic
def approve_member(*, member: User, moderator: User) -> User:
    """Approve a pending (or rejected) account and tell the applicant by email."""
    if not permissions.may_moderate_members(moderator):
        raise PermissionDenied
    if member.status == MembershipStatus.APPROVED:
        raise ValidationError(_("This member is already approved."), code="invalid")
    member.status = MembershipStatus.APPROVED
    member.decided_at = timezone.now()
    member.decided_by = moderator
    member.rejection_reason = ""
    member.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason"])
    email_member(member=member, template="approved", context={})
    notify(
        recipient=member,
        kind=Kind.MEMBERSHIP_APPROVED,
        text=gettext_lazy("Your membership is approved."),
    )
    refresh_directory(user_ids=[member.pk])
    directory_changed()
    return member


@transaction.atomic
def reject_member(*, member: User, moderator: User, reason: str) -> User:
    """Reject a pending application, with a reason sent to the applicant."""
    if not permissions.may_moderate_members(moderator):
        raise PermissionDenied
    if member.status != MembershipStatus.PENDING:
        raise ValidationError(_("Only a pending application can be rejected."), code="invalid")
    if not reason.strip():
        raise ValidationError(_("Give the applicant a reason."), code="invalid")
    member.status = MembershipStatus.REJECTED
    member.decided_at = timezone.now()
    member.decided_by = moderator
    member.rejection_reason = reason.strip()
    member.save(update_fields=["status", "decided_at", "decided_by", "rejection_reason"])
    email_member(member=member, template="rejected", context={"reason": member.rejection_reason})
    return member


@transaction.atomic
def create_member(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    is_moderator: bool = False,
    is_facilitator: bool = False,
    is_staff: bool = False,
) -> User:
    """Create an approved member with a verified email (commands, imports, demo data)."""
    email = email.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username %(name)s is taken.") % {"name": username})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("A member with the email %(email)s exists.") % {"email": email})
    user = User(
        username=username,
        email=email,
        display_name=display_name or username,
        status=MembershipStatus.APPROVED,
        decided_at=timezone.now(),
        is_moderator=is_moderator,
        is_facilitator=is_facilitator,
        is_staff=is_staff,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profile, _created = Profile.objects.get_or_create(user=user)
    refresh_directory(profile_ids=[profile.pk])
    directory_changed()
    return user


@transaction.atomic
def create_invitation(
    *,
    created_by: User | None,
    cohort: Cohort | None = None,
    email: str = "",
    max_uses: int = 1,
    expires_at=None,
) -> Invitation:
    return Invitation.objects.create(
        created_by=created_by,
        cohort=cohort,
        email=email.strip().lower(),
        max_uses=max_uses,
        expires_at=expires_at,
    )


@transaction.atomic
def set_member_details(
    *,
    member: User,
    country: str = "",
    stakeholder_type: str = "",
    organisation: str = "",
    expertise: list[str] | None = None,
) -> Profile:
    """Set the basic profile fields; slugs must exist in the taxonomy (checked by callers)."""
    profile, _created = Profile.objects.get_or_create(user=member)
    profile.country = country
    profile.organisation = organisation
    profile.stakeholder_type = (
        StakeholderType.objects.get(slug=stakeholder_type) if stakeholder_type else None
    )
    profile.save()
    if expertise is not None:
        profile.expertise.set(curated_tags(expertise))
    refresh_directory(profile_ids=[profile.pk])
    directory_changed()
    return profile


def curated_tags(slugs: list[str]) -> list[Tag]:
    """The taggit tags of curated expertise terms, created with the taxonomy's own slugs."""
    tags = []
    for term in ExpertiseTerm.objects.filter(slug__in=slugs):
        tag, _created = Tag.objects.get_or_create(slug=term.slug, defaults={"name": term.name})
        tags.append(tag)
    return tags


@transaction.atomic
def invite_by_email(
    *, moderator: User, email: str, cohort: Cohort | None = None, valid_days: int = 30
) -> None:
    """Email an invitation that approves its holder at sign-up.

    The moderator is told the same thing whether or not the address already has an account
    (no account enumeration); an existing member gets a reminder to sign in instead.
    """
    if not permissions.may_moderate_members(moderator):
        raise PermissionDenied
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        email_member(member=existing, template="already_member", context={})
        return
    invitation = create_invitation(
        created_by=moderator,
        cohort=cohort,
        email=email,
        max_uses=1,
        expires_at=timezone.now() + timezone.timedelta(days=valid_days),
    )
    context = {
        "site_name": site_name(),
        "site_url": settings.SITE_URL,
        "invitation": invitation,
        "signup_path": reverse("account_signup")
        + "?"
        + urlencode({"code": invitation.code, "email": email}),
        "moderator": moderator,
    }
    subject = render_to_string("profiles/email/invitation_subject.txt", context).strip()
    body = render_to_string("profiles/email/invitation_message.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))


@transaction.atomic
def report_member(*, reporter: User, member: User, reason: str, details: str = "") -> Report:
    """File a report about a profile for the moderators."""
    if not permissions.is_member(reporter) or reporter.pk == member.pk:
        raise PermissionDenied
    if reason not in Report.Reason.values:
        raise ValidationError(_("Choose a reason."), code="invalid")
    return Report.objects.create(
        reporter=reporter, member=member, reason=reason, details=details.strip()[:2000]
    )


@transaction.atomic
def resolve_report(*, moderator: User, report: Report, resolution: str) -> Report:
    if not permissions.is_moderator(moderator):
        raise PermissionDenied
    report.resolved_at = timezone.now()
    report.resolved_by = moderator
    report.resolution = resolution.strip()[:300] or _("reviewed")
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return report


@transaction.atomic
def suspend_member(*, moderator: User, member: User) -> User:
    """Suspend a member: they lose access at once, open sockets included."""
    if not permissions.is_moderator(moderator) or member.pk == moderator.pk:
        raise PermissionDenied
    member.status = MembershipStatus.SUSPENDED
    member.access_epoch += 1
    member.decided_at = timezone.now()
    member.decided_by = moderator
    member.save(update_fields=["status", "access_epoch", "decided_at", "decided_by"])
    recheck_sockets([member.pk])
    refresh_directory(user_ids=[member.pk])
    directory_changed()
    return member


@transaction.atomic
def reinstate_member(*, moderator: User, member: User) -> User:
    if not permissions.is_moderator(moderator) or member.status != MembershipStatus.SUSPENDED:
        raise PermissionDenied
    member.status = MembershipStatus.APPROVED
    member.decided_at = timezone.now()
    member.decided_by = moderator
    member.save(update_fields=["status", "decided_at", "decided_by"])
    refresh_directory(user_ids=[member.pk])
    directory_changed()
    return member
