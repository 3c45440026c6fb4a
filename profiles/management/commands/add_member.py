import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from profiles import services
from taxonomy.models import ExpertiseTerm, StakeholderType


def _slugs(value: str) -> list[str]:
    return [slug.strip() for slug in value.split(",") if slug.strip()]


class Command(BaseCommand):
    help = (
        "Create an approved member with a verified email. Expertise and stakeholder type are "
        "slugs of the UNTOC taxonomy (for example ngo, academic-institution, private-company); "
        "an unknown slug or country is an error, not a new value."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Sign-in name (letters, digits and @.+-_).")
        parser.add_argument("--email", required=True, help="Email address; must be unused.")
        parser.add_argument("--password", required=True, help="Initial password.")
        parser.add_argument("--display-name", default="", help="Name shown to members.")
        parser.add_argument("--country", default="", help="ISO 3166-1 alpha-2 code, e.g. KE.")
        parser.add_argument("--expertise", default="", help="Comma-separated expertise slugs.")
        parser.add_argument("--stakeholder-type", default="", help="A stakeholder type slug.")
        parser.add_argument("--organisation", default="", help="Organisation name.")
        parser.add_argument("--moderator", action="store_true", help="Make a moderator.")
        parser.add_argument("--facilitator", action="store_true", help="Make a facilitator.")
        parser.add_argument("--staff", action="store_true", help="Give Django admin access.")

    def handle(self, *args, **options) -> None:
        country = options["country"].strip().upper()
        if country and country not in dict(countries):
            raise CommandError(
                _("Unknown country code %(code)s (use ISO 3166-1 alpha-2, e.g. KE).")
                % {"code": repr(options["country"])},
                returncode=2,
            )
        stakeholder_type = options["stakeholder_type"].strip()
        if stakeholder_type and not StakeholderType.objects.filter(slug=stakeholder_type).exists():
            known = ", ".join(StakeholderType.objects.values_list("slug", flat=True))
            raise CommandError(
                _("Unknown stakeholder type %(slug)s. Known types: %(known)s.")
                % {"slug": repr(stakeholder_type), "known": known},
                returncode=2,
            )
        expertise = _slugs(options["expertise"])
        known_expertise = set(
            ExpertiseTerm.objects.filter(slug__in=expertise).values_list("slug", flat=True)
        )
        unknown = [slug for slug in expertise if slug not in known_expertise]
        if unknown:
            raise CommandError(
                _("Unknown expertise slug(s): %(slugs)s.") % {"slugs": ", ".join(unknown)},
                returncode=2,
            )
        if not re.fullmatch(r"[\w.@+-]+", options["username"]):
            raise CommandError(
                _("A username may hold only letters, digits and @.+-_."), returncode=2
            )
        try:
            with transaction.atomic():
                member = services.create_member(
                    username=options["username"],
                    email=options["email"],
                    password=options["password"],
                    display_name=options["display_name"],
                    is_moderator=options["moderator"],
                    is_facilitator=options["facilitator"],
                    is_staff=options["staff"],
                )
                services.set_member_details(
                    member=member,
                    country=country,
                    stakeholder_type=stakeholder_type,
                    organisation=options["organisation"],
                    expertise=expertise,
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Created approved member %(username)s.") % {"username": member.username}
            )
        )
