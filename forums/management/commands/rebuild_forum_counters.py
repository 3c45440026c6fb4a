from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from forums import services


class Command(BaseCommand):
    help = (
        "Recompute the forums' denormalised counters (posts and last activity per topic and "
        "category) from the posts themselves."
    )

    def handle(self, *args, **options) -> None:
        with tqdm(total=2, desc="counters", unit="step", disable=None) as bar:
            topics, categories = services.rebuild_counters(progress=bar.update)
        self.stdout.write(
            _("Counters rebuilt for %(topics)d topics in %(categories)d categories.")
            % {"topics": topics, "categories": categories}
        )
