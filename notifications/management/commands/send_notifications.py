"""Send what is due by email: run every few minutes (or at least daily) by a scheduler.

Every job is idempotent: it records what it sent, in the same transaction that locks it,
before the email leaves, so two runs at once or one after the other never send twice.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import services
from workshops.reminders import send_due_reminders

logger = logging.getLogger(__name__)


class Job(NamedTuple):
    name: str
    help: str
    run: Callable[[datetime], int]  # given "now", returns how many emails it sent


# One place for every scheduled sending job; a new one is one more line here.
JOBS: list[Job] = [
    Job(
        "workshop-reminders",
        "remind participants a day and 15 minutes before a workshop, once each",
        lambda now: send_due_reminders(now=now),
    ),
    Job(
        "emails",
        "retry emails due at once that a failed send left behind",
        lambda now: services.send_missed_emails(now=now),
    ),
    Job(
        "digests",
        "the daily digest, once per member and day (UTC)",
        lambda now: services.send_due_digests(now=now),
    ),
]


class Command(BaseCommand):
    help = (
        "Send notification emails that are due: daily digests and retries of emails that "
        "could not be sent at once. Safe to run as often as you like, even twice at once: "
        "nothing is sent twice. Run it from cron or a systemd timer (see the README)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        names = ", ".join(f"{job.name} ({job.help})" for job in JOBS)
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="JOB",
            help=f"Run only this job (repeatable). Jobs: {names}.",
        )

    def handle(self, *args, **options) -> None:
        known = {job.name for job in JOBS}
        unknown = [name for name in options["only"] if name not in known]
        if unknown:
            raise CommandError(
                _("Unknown job %(jobs)s. Jobs: %(known)s.")
                % {"jobs": ", ".join(unknown), "known": ", ".join(sorted(known))},
                returncode=2,
            )
        jobs = [job for job in JOBS if not options["only"] or job.name in options["only"]]
        failed = []
        for job in jobs:
            try:
                sent = job.run(timezone.now())
            except Exception as error:  # one broken job must not stop the others
                logger.exception("Job %s failed", job.name)
                failed.append(f"{job.name}: {error}")
                continue
            self.stdout.write(_("%(job)s: %(count)d sent") % {"job": job.name, "count": sent})
        if failed:
            raise CommandError(
                _("Some jobs failed: %(failures)s") % {"failures": "; ".join(failed)}
            )
