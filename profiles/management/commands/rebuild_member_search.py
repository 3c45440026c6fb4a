from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from profiles.services import refresh_directory


class Command(BaseCommand):
    help = (
        "Recompute what the member directory stores for every profile: the full-text search "
        "vectors (PostgreSQL) and the directory entries. Run after editing members, profiles "
        "or their tags outside the site's own forms, for example in bulk SQL."
    )

    def handle(self, *args, **options) -> None:
        refresh_directory()
        self.stdout.write(self.style.SUCCESS(_("Member directory rebuilt.")))
