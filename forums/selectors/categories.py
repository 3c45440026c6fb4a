"""The categories a viewer may read."""

from datetime import datetime

from django.db.models import Count

from forums.models import Category, State, Topic
from forums.permissions import visible_categories
from profiles.permissions import AnyUser


def list_categories(*, viewer: AnyUser | None, since: datetime | None = None) -> list[Category]:
    """Top-level categories the viewer may read, each with `.subcategories` and `.new_count`
    (topics active since `since`). Two queries at most, whatever the numbers."""
    categories = list(
        visible_categories(viewer, Category.objects.all()).select_related(
            "last_topic", "last_topic__last_poster"
        )
    )
    new_counts = {}
    if since is not None:
        new_counts = dict(
            Topic.objects.filter(
                category_id__in=[c.id for c in categories],
                state=State.VISIBLE,
                last_post_at__gt=since,
            )
            .values("category_id")
            .annotate(n=Count("id"))
            .values_list("category_id", "n")
        )
    by_id = {category.id: category for category in categories}
    roots = []
    for category in categories:
        category.subcategories = []
        category.new_count = new_counts.get(category.id, 0)
    for category in categories:
        parent = by_id.get(category.parent_id)
        category.is_child = parent is not None
        (parent.subcategories if parent else roots).append(category)
    return roots


def get_category(*, viewer: AnyUser | None, slug: str) -> Category | None:
    category = (
        visible_categories(viewer, Category.objects.all())
        .select_related("parent")
        .filter(slug=slug)
        .first()
    )
    return category


def moveable_categories(*, viewer: AnyUser | None) -> list[Category]:
    return list(visible_categories(viewer, Category.objects.all()))
