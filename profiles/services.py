"""Every write about members: registration, approval, invitations, accounts."""

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
from taggit.models import Tag

from profiles import permissions
from profiles.models import Cohort, Invitation, MembershipStatus, Profile, User
from taxonomy.models import ExpertiseTerm, StakeholderType


def _email_member(*, member: User, template: str, context: dict) -> None:
    """Send `template` (subject + body) to the member once the transaction commits."""
    context = {"member": member, "site_name": settings.SITE_NAME, **context}
    subject = render_to_string(f"profiles/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"profiles/email/{template}_message.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
    )


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
    return True


@transaction.atomic
def register_member(*, user: User, display_name: str = "", invitation_code: str = "") -> User:
    """Store a new sign-up: pending, unless a valid invitation approves it at once."""
    user.display_name = display_name.strip()
    user.status = MembershipStatus.PENDING
    user.save()
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
    _email_member(member=member, template="approved", context={})
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
    _email_member(member=member, template="rejected", context={"reason": member.rejection_reason})
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
        _email_member(member=existing, template="already_member", context={})
        return
    invitation = create_invitation(
        created_by=moderator,
        cohort=cohort,
        email=email,
        max_uses=1,
        expires_at=timezone.now() + timezone.timedelta(days=valid_days),
    )
    context = {
        "site_name": settings.SITE_NAME,
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
