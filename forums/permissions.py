"""Who may read, post in and moderate a forum category: the forums' only access rules."""

from django.db.models import Q, QuerySet

from forums.models import Access, Category
from profiles.permissions import AnyUser, is_member, is_moderator


def can_read(user: AnyUser | None, category: Category) -> bool:
    if category.access == Access.PUBLIC:
        return True
    if not is_member(user):
        return False
    if category.access == Access.MEMBERS or is_moderator(user):
        return True
    return bool(category.cohort_id) and user.cohorts.filter(pk=category.cohort_id).exists()


def visible_categories(viewer: AnyUser | None, queryset: QuerySet[Category]) -> QuerySet[Category]:
    if not is_member(viewer):
        return queryset.filter(access=Access.PUBLIC)
    if is_moderator(viewer):
        return queryset
    return queryset.filter(
        Q(access__in=[Access.PUBLIC, Access.MEMBERS])
        | Q(access=Access.PRIVATE, cohort__members=viewer)
    ).distinct()
