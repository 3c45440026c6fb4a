"""Onboarding a cohort: members imported from a file, and one-time sign-in links."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from profiles.models import (
    RESERVED_USERNAMES,
    Cohort,
    MembershipStatus,
    Profile,
    User,
)
from profiles.services.common import email_member
from profiles.services.directory import directory_changed, refresh_directory
from profiles.services.editing import set_languages
from profiles.services.membership import curated_tags
from taxonomy.models import StakeholderType


def unique_username(email: str) -> str:
    """A free username from the email's local part (`amina.okafor`, `amina.okafor2`, …)."""
    base = slugify(email.split("@")[0].replace(".", "-"))[:30] or "member"
    if base in RESERVED_USERNAMES:
        base = f"{base}-member"
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate


@transaction.atomic
def import_member(
    *,
    email: str,
    display_name: str,
    organisation: str,
    stakeholder_type: StakeholderType | None,
    country: str,
    expertise: list[str],
    languages: list[str],
    cohorts: list[Cohort],
) -> tuple[User, bool]:
    """Create (approved, no password yet) or update one imported member; (member, created).

    An existing member keeps what they wrote themselves where the row leaves a cell empty.
    """
    email = email.strip().lower()
    member = User.objects.filter(email__iexact=email).first()
    created = member is None
    if created:
        member = User(
            username=unique_username(email),
            email=email,
            display_name=display_name or email.split("@")[0],
            status=MembershipStatus.APPROVED,
            decided_at=timezone.now(),
        )
        member.set_unusable_password()
        member.full_clean(exclude=["password"])
        member.save()
        EmailAddress.objects.create(user=member, email=email, verified=True, primary=True)
    elif display_name:
        member.display_name = display_name
        member.save(update_fields=["display_name"])
    profile, _created = Profile.objects.get_or_create(user=member)
    if organisation:
        profile.organisation = organisation
    if stakeholder_type is not None:
        profile.stakeholder_type = stakeholder_type
    if country:
        profile.country = country
    profile.save()
    if expertise:
        profile.expertise.add(*curated_tags(expertise))
    if languages:
        set_languages(
            profile=profile,
            codes=[*profile.languages.values_list("code", flat=True), *languages],
        )
    for cohort in cohorts:
        cohort.members.add(member)
    refresh_directory(profile_ids=[profile.pk])
    directory_changed()
    return member, created


def sign_in_link(*, member: User, base_url: str) -> str:
    """A one-time link with which an imported member chooses a password and signs in.

    It is allauth's password-reset-from-key link, built with allauth's own token generator:
    the token is bound to the member's current password hash and last login, so it stops
    working as soon as it is used (the password changes), and expires after
    PASSWORD_RESET_TIMEOUT. We chose it over login-by-code because a code must be requested
    by the member on the sign-in page (nothing to mail in advance), and over a token of our
    own because this one is already reviewed, rate limited and tested by allauth.
    """
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(member),
            "key": default_token_generator.make_token(member),
        },
    )
    return base_url.rstrip("/") + path


def email_sign_in_link(*, member: User, base_url: str) -> None:
    """Send an imported member their one-time sign-in link once the transaction commits."""
    email_member(
        member=member,
        template="imported",
        context={"link": sign_in_link(member=member, base_url=base_url)},
    )
