"""Cleaning what members type, shared by writing and moderation services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from forums.models import MAX_TITLE


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Give the topic a title."), code="required")
    if len(title) > MAX_TITLE:
        raise ValidationError(_("That title is too long."), code="too_long")
    return title
