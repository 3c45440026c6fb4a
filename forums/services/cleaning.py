"""Cleaning what members type, shared by writing and moderation services."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from forums.models import MAX_BODY, MAX_TITLE

MAX_TAGS = 5
MAX_TAG_LENGTH = 40


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Give the topic a title."), code="required")
    if len(title) > MAX_TITLE:
        raise ValidationError(_("That title is too long."), code="too_long")
    return title


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="required")
    if len(body) > MAX_BODY:
        raise ValidationError(_("That message is too long."), code="too_long")
    return body


def clean_tags(tags: Iterable[str]) -> list[str]:
    names = []
    for raw in tags:
        name = " ".join(str(raw).split()).lower()
        if name and name not in names:
            if len(name) > MAX_TAG_LENGTH:
                raise ValidationError(_("A tag is too long."), code="too_long")
            names.append(name)
    if len(names) > MAX_TAGS:
        raise ValidationError(
            _("Use at most %(count)d tags.") % {"count": MAX_TAGS}, code="too_many"
        )
    return names
