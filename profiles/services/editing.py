"""A member's own profile: its fields, expertise tags, languages and photo."""

import io
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from taggit.models import Tag

from network.markdown import render_markdown
from network.middleware import forget_member_zone
from profiles import permissions
from profiles.models import (
    Profile,
    SpokenLanguage,
    User,
)
from profiles.services.common import delete_files, recheck_sockets
from profiles.services.directory import directory_changed, refresh_directory
from taxonomy.models import ExpertiseTerm

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
        recheck_sockets([member.pk])
    directory_changed()
    return profile


def set_languages(*, profile: Profile, codes: list[str]) -> None:
    codes = sorted({code.strip().lower() for code in codes if code.strip()})
    profile.languages.exclude(code__in=codes).delete()
    have = set(profile.languages.values_list("code", flat=True))
    SpokenLanguage.objects.bulk_create(
        SpokenLanguage(profile=profile, code=code) for code in codes if code not in have
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
    transaction.on_commit(lambda: delete_files(old))
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
    transaction.on_commit(lambda: delete_files(old))
    directory_changed()
