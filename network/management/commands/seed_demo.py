import random

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from chat import demo as chat_demo
from forums import demo as forum_demo
from notifications import demo as notification_demo
from profiles import demo as profile_demo
from workshops import demo as workshop_demo


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError
    return number


class Command(BaseCommand):
    help = (
        "Create realistic, reproducible demo data at any scale: members, and what later "
        "capabilities add. Idempotent: running it again with the same numbers adds nothing. "
        "Also loads the taxonomy first. Prints the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=_positive, default=60, help="Demo members.")
        parser.add_argument("--topics", type=_positive, default=40, help="Forum topics.")
        parser.add_argument("--posts", type=_positive, default=400, help="Forum posts.")
        parser.add_argument(
            "--big-topic", type=_positive, default=0, help="Posts in one long forum topic."
        )
        parser.add_argument("--messages", type=_positive, default=200, help="Chat messages.")
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed (same seed, same data)."
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, **options) -> None:
        call_command("load_taxonomy", stdout=self.stdout)
        rng = random.Random(options["seed"])
        member, moderator = profile_demo.ensure_demo_logins()
        with tqdm(total=options["members"], desc="members", unit="", disable=None) as bar:
            created = profile_demo.seed_members(
                count=options["members"], rng=rng, progress=bar.update
            )
        self.stdout.write(
            _("Members: %(created)d created, %(existing)d already there.")
            % {"created": created, "existing": options["members"] - created}
        )
        notification_demo.seed_notifications(member=member, rng=rng)
        with tqdm(total=options["posts"], desc="forum posts", unit="", disable=None) as bar:
            topics, posts = forum_demo.seed_forums(
                topics=options["topics"],
                posts=options["posts"],
                big_topic=options["big_topic"],
                rng=random.Random(f"{options['seed']}-forums"),
                progress=bar.update,
            )
        self.stdout.write(
            _("Forums: %(topics)d topics and %(posts)d posts added.")
            % {"topics": topics, "posts": posts}
        )
        with tqdm(total=options["messages"], desc="chat messages", unit="", disable=None) as bar:
            added = chat_demo.seed_chat(
                messages=options["messages"],
                rng=random.Random(f"{options['seed']}-chat"),
                progress=bar.update,
            )
        self.stdout.write(_("Chat: %(count)d messages added.") % {"count": added})
        workshops = workshop_demo.seed_workshops(rng=random.Random(f"{options['seed']}-workshops"))
        self.stdout.write(_("Workshops: %(count)d added.") % {"count": workshops})
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS(_("Demo logins:")))
            for role, login in [
                (_("member"), profile_demo.DEMO_MEMBER),
                (_("moderator"), profile_demo.DEMO_MODERATOR),
            ]:
                self.stdout.write(f"  {role + ':':<11}{login['email']} / {login['password']}")
