"""Every write about members: registration, approval, invitations, accounts."""

import importlib
import io
import secrets
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import connection, models, transaction
from django.db.models.functions import Coalesce, Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from PIL import Image, ImageOps
from taggit.models import Tag

from network.languages import site_name
from network.markdown import render_markdown
from network.middleware import forget_member_zone
from notifications.models import Kind
from notifications.selectors import preferred_language
from notifications.services import notify, text_for_recipient
from profiles import permissions, privacy
from profiles.models import (
    RESERVED_USERNAMES,
    Block,
    Cohort,
    Connection,
    DirectoryEntry,
    ExpertiseTag,
    Invitation,
    MembershipStatus,
    Profile,
    Report,
    SpokenLanguage,
    User,
    Visibility,
)
from taxonomy.models import ExpertiseTerm, StakeholderType


def _email_member(*, member: User, template: str, context: dict) -> None:
    """Send `template` (subject + body) to the member, in their language, once the
    transaction commits."""
    context = {"member": member, "site_name": site_name(), **context}
    with translation.override(preferred_language(member)):
        subject = render_to_string(f"profiles/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"profiles/email/{template}_message.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
    )


DIRECTORY_VERSION_KEY = "profiles:directory-version"


def directory_changed() -> None:
    """Say, once this transaction commits, that who-sees-whom may have changed: cached
    directory pages of every viewer are then stale (their keys carry the version)."""

    def bump() -> None:
        try:
            cache.incr(DIRECTORY_VERSION_KEY)
        except ValueError:  # not set yet, or evicted
            cache.set(DIRECTORY_VERSION_KEY, 2, timeout=None)

    transaction.on_commit(bump)


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
    _email_member(member=member, template="approved", context={})
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


# Profiles ------------------------------------------------------------------------------------

AVATAR_SIZES = {"large": 256, "small": 64}  # square pixels; templates pick one
AVATAR_MAX_BYTES = 4 * 1024 * 1024
AVATAR_MAX_SIDE = 6000  # refuse before decoding: a small file may claim a huge canvas
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def normalise_tag_name(text: str) -> tuple[str, str]:
    """(slug, display name) for a free expertise tag; the slug is what makes two tags one.

    "Human Trafficking", "human-trafficking" and " human  trafficking " share the slug
    `human-trafficking`. Non-Latin scripts keep their letters (slugify allows Unicode).
    """
    name = " ".join(text.replace("_", " ").split()).strip(" -,;")[:100]
    slug = slugify(name.replace("-", " "), allow_unicode=True)[:100]
    return slug, name


def expertise_tags(values: list[str]) -> list[Tag]:
    """Tags for a member's expertise: curated terms by slug or name first, then free tags.

    A value matching a curated term (by slug, or by name in any letter case) becomes that
    term's tag, created with the taxonomy's own slug; any other value becomes a free tag
    whose slug is normalised, reusing an existing tag of the same slug or name.
    """
    curated = {term.slug: term for term in ExpertiseTerm.objects.all()}
    curated_by_name = {term.name.lower(): term for term in curated.values()}
    wanted: dict[str, str] = {}
    for value in values:
        slug, name = normalise_tag_name(value)
        if not slug:
            continue
        term = curated.get(slug) or curated_by_name.get(name.lower())
        if term is not None:
            slug, name = term.slug, term.name
        wanted.setdefault(slug, name)
    if not wanted:
        return []
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    tags = []
    for slug, name in wanted.items():
        tag = existing.get(slug)
        if tag is None:
            tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(slug=slug, name=name)
        tags.append(tag)
    return tags


def _clean_bio(bio: str) -> tuple[str, str]:
    bio = bio.strip()
    return bio, render_markdown(bio)


def set_preferred_language(*, member: User, language: str) -> None:
    """Keep the language a member chose in the switcher: their emails, notifications and
    next sign-in on any browser use it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the offered languages."), code="invalid")
    if not permissions.is_member(member):
        raise PermissionDenied
    Profile.objects.update_or_create(user=member, defaults={"preferred_language": language})


@transaction.atomic
def update_profile(*, member: User, data: dict) -> Profile:
    """Save a member's own profile from cleaned form data (keys are optional).

    The bio is rendered and sanitised here, once; expertise is normalised into tags;
    search vectors are refreshed. Hiding or unhiding rechecks the member's open sockets,
    since it changes who sees them in chat presence.
    """
    if not permissions.is_member(member):
        raise PermissionDenied
    profile, _created = Profile.objects.get_or_create(user=member)
    was_hidden = profile.hidden_from_directory
    if "display_name" in data:
        display_name = data["display_name"].strip()
        if not display_name:
            raise ValidationError(_("Members need a name to know you by."), code="required")
        member.display_name = display_name
        member.save(update_fields=["display_name"])
    simple = [
        "organisation", "stakeholder_type", "country", "city", "links", "open_to",
        "time_zone", "preferred_language", "hidden_from_directory",
        *(f"{name}_visibility" for name in Profile.PRIVATE_FIELDS),
    ]  # fmt: skip
    for name in simple:
        if name in data:
            setattr(profile, name, data[name])
    if "bio" in data:
        profile.bio, profile.bio_html = _clean_bio(data["bio"])
    profile.full_clean(exclude=["user", "avatar", "avatar_small"])
    profile.save()
    if "expertise" in data:
        profile.expertise.set(expertise_tags(data["expertise"]))
    if "clusters" in data:
        profile.clusters.set(data["clusters"])
    if "protocols" in data:
        profile.protocols.set(data["protocols"])
    if "languages" in data:
        set_languages(profile=profile, codes=data["languages"])
    refresh_directory(profile_ids=[profile.pk])
    transaction.on_commit(lambda: forget_member_zone(member.pk))  # pages switch zone at once
    if was_hidden != profile.hidden_from_directory:
        _recheck_sockets([member.pk])
    directory_changed()
    return profile


def set_languages(*, profile: Profile, codes: list[str]) -> None:
    codes = sorted({code.strip().lower() for code in codes if code.strip()})
    profile.languages.exclude(code__in=codes).delete()
    have = set(profile.languages.values_list("code", flat=True))
    SpokenLanguage.objects.bulk_create(
        SpokenLanguage(profile=profile, code=code) for code in codes if code not in have
    )


def refresh_directory(
    *, profile_ids: list[int] | None = None, user_ids: list[int] | None = None
) -> None:
    """Recompute what the directory reads from these profiles (or members'): after any change
    to a profile, its tags, languages or clusters, its member's name, or their membership
    (approval, suspension, deletion). Nothing given: every profile (after bulk inserts).

    First the full-text vectors (PostgreSQL only; name and organisation weigh more than the
    bio), then each profile's DirectoryEntry, in one INSERT ... SELECT built from
    privacy.py: whether the member is listed (privacy.listed_q) and the text that may be
    searched at each level (privacy.stored_search_vectors).
    """
    profiles = Profile.objects.all()
    if profile_ids is not None:
        profiles = profiles.filter(pk__in=list(profile_ids))
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=list(user_ids))
    if settings.USES_POSTGRES:
        ids_sql, ids_params = profiles.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE profiles_profile AS p SET
                    name_search = setweight(
                        to_tsvector('simple', coalesce(u.display_name, '')), 'A'),
                    organisation_search = setweight(to_tsvector('simple', p.organisation), 'B'),
                    bio_search = setweight(to_tsvector('simple', p.bio), 'D')
                FROM profiles_user AS u
                WHERE u.id = p.user_id AND p.id IN ({ids_sql})
                """,
                ids_params,
            )
    _write_directory_entries(profiles)


class _JSONList(models.Aggregate):
    """The aggregated values as a JSON list (PostgreSQL jsonb_agg, SQLite json_group_array)."""

    function = "json_group_array"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="jsonb_agg", **extra_context)


def _related_list(model: type[models.Model], owner: str, value: str) -> models.Expression:
    """`value` of the rows of `model` pointing at the profile (through `owner`), as a list."""
    rows = (
        model.objects.filter(**{owner: models.OuterRef("pk")})
        .order_by()
        .values(owner)
        .annotate(values=_JSONList(value))
        .values("values")
    )
    return Coalesce(
        models.Subquery(rows, output_field=models.JSONField()),
        models.Value([], output_field=models.JSONField()),
    )


# DirectoryEntry's columns, each with how it is read from a Profile row.
_ENTRY_COLUMNS = {
    "profile_id": models.F("pk"),
    "user_id": models.F("user_id"),
    "listed": models.ExpressionWrapper(privacy.listed_q(), output_field=models.BooleanField()),
    "sort_name": Lower("user__display_name"),
    "joined_at": models.F("user__date_joined"),
    "country": models.F("country"),
    "stakeholder_type_id": models.F("stakeholder_type_id"),
    **{
        f"{name}_visibility": models.F(f"{name}_visibility")
        for name in ("stakeholder_type", "country", "expertise", "interests", "languages")
    },
    "tag_ids": _related_list(ExpertiseTag, "content_object", "tag_id"),
    "language_codes": _related_list(SpokenLanguage, "profile", "code"),
    "cluster_ids": _related_list(Profile.clusters.through, "profile", "cluster_id"),
}


def _write_directory_entries(profiles: models.QuerySet) -> None:
    columns = dict(_ENTRY_COLUMNS)
    if settings.USES_POSTGRES:
        columns.update(privacy.stored_search_vectors())
    names = list(columns)
    aliases = {f"entry_{name}": expression for name, expression in columns.items()}
    select_sql, params = (
        profiles.order_by().annotate(**aliases).values_list(*aliases).query.sql_with_params()
    )
    table = DirectoryEntry._meta.db_table
    updates = ", ".join(f"{name} = excluded.{name}" for name in names if name != "profile_id")
    with connection.cursor() as cursor:
        # "WHERE true": SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT.
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) "
            f"SELECT * FROM ({select_sql}) AS source WHERE true "
            f"ON CONFLICT (profile_id) DO UPDATE SET {updates}",
            params,
        )


def _refuse_avatar(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


@transaction.atomic
def set_avatar(*, member: User, upload: File) -> Profile:
    """Store a member's photo at fixed sizes, re-encoded so no metadata survives.

    Refuses non-images, unsupported formats, files over AVATAR_MAX_BYTES and canvases over
    AVATAR_MAX_SIDE (checked from the header, before decoding). The photo is turned upright
    from its EXIF orientation, cropped square and saved as new JPEG files: EXIF (GPS
    included), XMP and ICC data are not copied. File names are random, so an old address
    stops working once the photo changes.
    """
    if not permissions.is_member(member):
        raise PermissionDenied
    if upload.size is not None and upload.size > AVATAR_MAX_BYTES:
        raise _refuse_avatar(
            _("That file is too large: a photo may be at most %(mb)s MB.")
            % {"mb": AVATAR_MAX_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in AVATAR_FORMATS:
            raise _refuse_avatar(_("Upload a JPEG, PNG, WebP or GIF photo."))
        width, height = image.size
        if max(width, height) > AVATAR_MAX_SIDE:
            raise _refuse_avatar(
                _("That image is too large: at most %(px)s pixels on each side.")
                % {"px": AVATAR_MAX_SIDE}
            )
        image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:  # Pillow's own limit, hit while opening
        raise _refuse_avatar(
            _("That image is too large: at most %(px)s pixels on each side.")
            % {"px": AVATAR_MAX_SIDE}
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise _refuse_avatar(_("That file is not an image we can read.")) from error
    image = ImageOps.exif_transpose(image).convert("RGB")
    profile, created = Profile.objects.get_or_create(user=member)
    if created:
        refresh_directory(profile_ids=[profile.pk])
    old = [profile.avatar.name, profile.avatar_small.name]
    token = secrets.token_urlsafe(12)
    for size_name, side in AVATAR_SIZES.items():
        square = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        square.save(buffer, format="JPEG", quality=85, optimize=True)
        name = f"avatars/{member.pk}/{token}-{side}.jpg"
        stored = default_storage.save(name, ContentFile(buffer.getvalue()))
        if size_name == "large":
            profile.avatar.name = stored
        else:
            profile.avatar_small.name = stored
    profile.save(update_fields=["avatar", "avatar_small", "updated_at"])
    transaction.on_commit(lambda: _delete_files(old))
    directory_changed()
    return profile


@transaction.atomic
def remove_avatar(*, member: User) -> None:
    profile = Profile.objects.filter(user=member).first()
    if profile is None or not profile.avatar:
        return
    old = [profile.avatar.name, profile.avatar_small.name]
    profile.avatar = profile.avatar_small = ""
    profile.save(update_fields=["avatar", "avatar_small", "updated_at"])
    transaction.on_commit(lambda: _delete_files(old))
    directory_changed()


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def _recheck_sockets(user_ids: list[int]) -> None:
    # Chat sockets re-check access once this commits (blocks, suspensions, hiding).
    from chat.services import recheck_member_sockets

    recheck_member_sockets(user_ids=user_ids)


# Connections and blocks ----------------------------------------------------------------------


def _pair(a: User, b: User):
    return Connection.objects.filter(
        models.Q(from_user=a, to_user=b) | models.Q(from_user=b, to_user=a)
    )


@transaction.atomic
def request_connection(*, sender: User, recipient: User, note: str = "") -> Connection:
    """Ask `recipient` to connect; if they already asked `sender`, this accepts theirs.

    Refused (PermissionDenied) between blocked members, for non-members, and to oneself.
    """
    if not (permissions.is_member(sender) and permissions.is_member(recipient)):
        raise PermissionDenied
    if sender.pk == recipient.pk or permissions.is_blocked_between(sender, recipient):
        raise PermissionDenied
    existing = _pair(sender, recipient).select_for_update().first()
    if existing is not None:
        if existing.state == Connection.State.ACCEPTED:
            raise ValidationError(_("You are already connected."), code="already_connected")
        if existing.from_user_id == sender.pk:
            raise ValidationError(_("Your request is waiting for an answer."), code="pending")
        return accept_connection(member=sender, connection=existing)
    connection_ = Connection.objects.create(
        from_user=sender, to_user=recipient, note=note.strip()[:500]
    )
    notify(
        recipient=recipient,
        actor=sender,
        kind=Kind.CONNECTION_REQUEST,
        text=text_for_recipient(
            gettext_noop("%(name)s would like to connect with you."), name=sender.name
        ),
        url=reverse("profiles:connections"),
    )
    return connection_


@transaction.atomic
def accept_connection(*, member: User, connection: Connection) -> Connection:
    """The recipient accepts a pending request; the sender is told."""
    if connection.to_user_id != member.pk or connection.state != Connection.State.PENDING:
        raise PermissionDenied
    if permissions.is_blocked_between(connection.from_user, member):
        raise PermissionDenied
    connection.state = Connection.State.ACCEPTED
    connection.accepted_at = timezone.now()
    connection.save(update_fields=["state", "accepted_at"])
    notify(
        recipient=connection.from_user,
        actor=member,
        kind=Kind.CONNECTION_ACCEPTED,
        text=text_for_recipient(
            gettext_noop("%(name)s accepted your request to connect."), name=member.name
        ),
        url=member.get_absolute_url(),
    )
    directory_changed()
    return connection


@transaction.atomic
def decline_connection(*, member: User, connection: Connection) -> None:
    """The recipient declines a pending request; the sender is not told."""
    if connection.to_user_id != member.pk or connection.state != Connection.State.PENDING:
        raise PermissionDenied
    connection.delete()


@transaction.atomic
def withdraw_connection(*, member: User, connection: Connection) -> None:
    """The sender takes back a request that has not been answered."""
    if connection.from_user_id != member.pk or connection.state != Connection.State.PENDING:
        raise PermissionDenied
    connection.delete()


@transaction.atomic
def remove_connection(*, member: User, other: User) -> None:
    """Either side ends an accepted connection; connections-only fields close at once."""
    deleted, _rows = _pair(member, other).filter(state=Connection.State.ACCEPTED).delete()
    if not deleted:
        raise ValidationError(_("You are not connected."), code="not_connected")
    _recheck_sockets([member.pk, other.pk])
    directory_changed()


@transaction.atomic
def block_member(*, blocker: User, blocked: User) -> Block:
    """Block a member: any connection or request between the two ends, and from now on the
    blocked member cannot message, mention, request or see the blocker's private fields."""
    if not permissions.is_member(blocker) or blocker.pk == blocked.pk:
        raise PermissionDenied
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    _pair(blocker, blocked).delete()
    _recheck_sockets([blocker.pk, blocked.pk])
    directory_changed()
    return block


@transaction.atomic
def unblock_member(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    _recheck_sockets([blocker.pk, blocked.pk])
    directory_changed()


# Reports and suspension ----------------------------------------------------------------------


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
    _recheck_sockets([member.pk])
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


# Data rights ---------------------------------------------------------------------------------

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
    transaction.on_commit(lambda: _delete_files(files))
    _recheck_sockets([member.pk])
    directory_changed()


# Import --------------------------------------------------------------------------------------


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
    _email_member(
        member=member,
        template="imported",
        context={"link": sign_in_link(member=member, base_url=base_url)},
    )
