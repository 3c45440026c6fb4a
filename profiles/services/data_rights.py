"""A member's data rights: downloading everything about them, and deleting the account."""

import importlib

from allauth.account.models import EmailAddress
from django.db import models, transaction
from django.utils import timezone

from profiles.models import (
    Block,
    Connection,
    Profile,
    Report,
    User,
    Visibility,
)
from profiles.services.common import delete_files, recheck_sockets
from profiles.services.directory import directory_changed

# Other apps add a member's data to the export, and erase it on deletion, by defining
# `export_member_data(*, member) -> dict` and `erase_member_data(*, member) -> None` in a
# module `<app>.member_data`. A plain lookup by name, no signals.
MEMBER_DATA_APPS = ["notifications", "forums", "chat", "workshops"]


def _member_data_modules() -> list:
    modules = []
    for app in MEMBER_DATA_APPS:
        try:
            modules.append(importlib.import_module(f"{app}.member_data"))
        except ModuleNotFoundError as error:
            if error.name != f"{app}.member_data":
                raise
    return modules


def export_member_data(*, member: User) -> dict:
    """Everything the network holds about `member`, and nothing about anyone else: other
    members appear only as the username the member connected with, blocked or reported."""
    profile = Profile.objects.filter(user=member).first()
    data: dict = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": member.username,
            "email": member.email,
            "display_name": member.display_name,
            "date_joined": member.date_joined.isoformat(),
            "last_login": member.last_login.isoformat() if member.last_login else None,
            "membership": member.status,
            "emails": list(
                EmailAddress.objects.filter(user=member).values("email", "verified", "primary")
            ),
        },
        "profile": None,
    }
    if profile is not None:
        data["profile"] = {
            "organisation": profile.organisation,
            "stakeholder_type": profile.stakeholder_type.slug if profile.stakeholder_type else "",
            "country": profile.country.code or "",
            "city": profile.city,
            "expertise": sorted(profile.expertise.names()),
            "clusters": sorted(profile.clusters.values_list("slug", flat=True)),
            "protocols": sorted(profile.protocols.values_list("slug", flat=True)),
            "languages": sorted(profile.languages.values_list("code", flat=True)),
            "bio": profile.bio,
            "avatar": profile.avatar.url if profile.avatar else "",
            "links": profile.links,
            "open_to": profile.open_to,
            "time_zone": profile.time_zone,
            "preferred_language": profile.preferred_language,
            "hidden_from_directory": profile.hidden_from_directory,
            "visibility": {
                name: Visibility(getattr(profile, f"{name}_visibility")).name.lower()
                for name in Profile.PRIVATE_FIELDS
            },
        }
    data["cohorts"] = list(member.cohorts.values_list("name", flat=True))
    data["connections"] = [
        {
            "with": c.to_user.username if c.from_user_id == member.pk else c.from_user.username,
            "state": c.state,
            "requested_by_me": c.from_user_id == member.pk,
            # A note is the writer's: only notes this member wrote are theirs to take.
            "note": c.note if c.from_user_id == member.pk else "",
            "created_at": c.created_at.isoformat(),
        }
        for c in Connection.objects.filter(
            models.Q(from_user=member) | models.Q(to_user=member)
        ).select_related("from_user", "to_user")
    ]
    data["blocked"] = list(
        Block.objects.filter(blocker=member).values_list("blocked__username", flat=True)
    )
    data["reports_filed"] = [
        {"member": r.member.username, "reason": r.reason, "details": r.details}
        for r in Report.objects.filter(reporter=member).select_related("member")
    ]
    for module in _member_data_modules():
        if hasattr(module, "export_member_data"):
            data.update(module.export_member_data(member=member))
    return data


@transaction.atomic
def delete_account(*, member: User) -> None:
    """Erase a member's personal data; keep an anonymous User row so their posts and
    messages stay, credited to "former member".

    Erased: name, email addresses, password, profile (photo files included), connections,
    blocks, cohort places, reports they filed (the reporter is forgotten, the report kept
    for moderators), and what other apps hold through `<app>.member_data`. Every session
    ends (the password hash changes) and open sockets are closed.
    """
    member = User.objects.select_for_update().get(pk=member.pk)
    profile = Profile.objects.filter(user=member).first()
    files = [profile.avatar.name, profile.avatar_small.name] if profile else []
    for module in _member_data_modules():
        if hasattr(module, "erase_member_data"):
            module.erase_member_data(member=member)
    if profile is not None:
        profile.delete()
    Connection.objects.filter(models.Q(from_user=member) | models.Q(to_user=member)).delete()
    Block.objects.filter(models.Q(blocker=member) | models.Q(blocked=member)).delete()
    Report.objects.filter(reporter=member).update(reporter=None)
    member.cohorts.clear()
    EmailAddress.objects.filter(user=member).delete()
    member.username = f"former-member-{member.pk}"
    member.email = f"former-member-{member.pk}@invalid"
    member.display_name = ""
    member.first_name = member.last_name = ""
    member.set_unusable_password()
    member.is_active = False
    member.is_staff = member.is_superuser = False
    member.is_moderator = member.is_facilitator = False
    member.rejection_reason = ""
    member.access_epoch += 1
    member.erased_at = timezone.now()
    member.save()
    transaction.on_commit(lambda: delete_files(files))
    recheck_sockets([member.pk])
    directory_changed()
