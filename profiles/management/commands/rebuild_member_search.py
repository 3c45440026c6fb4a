from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from profiles.services import refresh_search_vectors


class Command(BaseCommand):
    help = (
        "Recompute every profile's full-text search vectors (PostgreSQL). Run after editing "
        "names or organisations outside the site's own forms, for example in bulk SQL."
    )

    def handle(self, *args, **options) -> None:
        if not settings.USES_POSTGRES:
            self.stdout.write(_("Not on PostgreSQL: search uses plain substring matching."))
            return
        refresh_search_vectors()
        self.stdout.write(self.style.SUCCESS(_("Member search vectors rebuilt.")))
