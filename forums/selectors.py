"""Reads of the forums; each takes the viewer."""

from django.db.models import QuerySet

from forums.models import Category
from forums.permissions import visible_categories
from profiles.permissions import AnyUser


def list_categories(*, viewer: AnyUser | None) -> QuerySet[Category]:
    return visible_categories(viewer, Category.objects.all())
