"""The default categories every network starts with."""

from django.db import transaction

from forums.models import Access, Category
from taxonomy.services import read_taxonomy

# Announcements are the public face of the network; everything else members discuss among
# themselves, since many members are at personal risk.
PUBLIC_DEFAULT_CATEGORIES = {"announcements"}


@transaction.atomic
def ensure_default_categories() -> int:
    """Create the taxonomy's default categories that do not exist yet; return how many.

    Existing categories are left as staff edited them.
    """
    created = 0
    for item in read_taxonomy()["forum_categories"]:
        _category, was_created = Category.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item.get("description", ""),
                "kind": item.get("kind", ""),
                "order": item.get("order", 0),
                "access": (
                    Access.PUBLIC if item["slug"] in PUBLIC_DEFAULT_CATEGORIES else Access.MEMBERS
                ),
                "topics_by_moderators_only": item["slug"] in PUBLIC_DEFAULT_CATEGORIES,
            },
        )
        created += was_created
    return created
