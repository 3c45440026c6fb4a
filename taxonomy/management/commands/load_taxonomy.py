from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from forums.services import ensure_default_categories
from taxonomy.services import load_taxonomy


class Command(BaseCommand):
    help = (
        "Load the default UNTOC taxonomy (clusters, Protocols, stakeholder types, languages, "
        "regional groups, expertise vocabulary) and the default forum categories. Idempotent: "
        "terms are matched by slug, so running it again updates them and adds nothing twice."
    )

    def handle(self, *args, **options) -> None:
        counts = load_taxonomy()
        created = ensure_default_categories()
        # "label: number", so no language needs the noun to agree with the number.
        summary = "; ".join(f"{_(name)}: {count}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(_("Taxonomy loaded: %(summary)s.") % {"summary": summary})
        )
        self.stdout.write(_("Forum categories created: %(count)d.") % {"count": created})
