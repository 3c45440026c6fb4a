"""Onboard a training cohort from a spreadsheet export (CSV, UTF-8)."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries
from tqdm import tqdm

from profiles import services
from profiles.languages import LANGUAGE_CODES
from profiles.models import Cohort
from taxonomy.models import ExpertiseTerm, StakeholderType

COLUMNS = [
    "email",
    "display_name",
    "organisation",
    "stakeholder_type",
    "country",
    "expertise",
    "languages",
    "cohort",
]
REQUIRED = {"email"}


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


class RowError(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import members from a CSV file with the columns email, display_name, organisation, "
        "stakeholder_type, country, expertise, languages, cohort (expertise and languages "
        "separated by semicolons; types and expertise are taxonomy slugs; countries ISO "
        "3166-1 alpha-2). New members are approved at once. Reports each row; a bad row is "
        "named by its line and nothing of it is written. Exits with status 1 if any row was "
        "skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, header row first).")
        parser.add_argument(
            "--cohort", default="", help="Add every imported member to this cohort (made if new)."
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="Email each new member a one-time link to choose a password and sign in.",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Site address for the links in invitations (default: https://<first "
            "ALLOWED_HOSTS entry>).",
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(
                _("No such file: %(path)s") % {"path": path}, returncode=2
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                _("%(path)s is not UTF-8 text: export the spreadsheet as CSV (UTF-8).")
                % {"path": path},
                returncode=2,
            ) from error
        reader = csv.DictReader(text.splitlines())
        header = [name.strip() for name in reader.fieldnames or []]
        missing = REQUIRED - set(header)
        unknown = set(header) - set(COLUMNS)
        if missing or unknown:
            problems = []
            if missing:
                problems.append(
                    _("missing column(s): %(columns)s") % {"columns": ", ".join(sorted(missing))}
                )
            if unknown:
                problems.append(
                    _("unknown column(s): %(columns)s") % {"columns": ", ".join(sorted(unknown))}
                )
            raise CommandError(
                _("Line 1 (header): %(problems)s. Expected: %(columns)s.")
                % {"problems": "; ".join(problems), "columns": ", ".join(COLUMNS)},
                returncode=2,
            )
        reader.fieldnames = header
        base_url = options["base_url"] or f"https://{settings.ALLOWED_HOSTS[0]}"
        self.types = {item.slug: item for item in StakeholderType.objects.all()}
        self.expertise = set(ExpertiseTerm.objects.values_list("slug", flat=True))
        self.cohorts: dict[str, Cohort] = {}
        default_cohort = options["cohort"].strip()
        counts = {"created": 0, "updated": 0, "skipped": 0}
        seen: dict[str, int] = {}
        rows = list(reader)
        for index, row in enumerate(tqdm(rows, desc="members", unit="", disable=None)):
            line = index + 2  # the header is line 1
            row = {key: (value or "").strip() for key, value in row.items() if key}
            try:
                cleaned = self.clean_row(row, seen, line)
                with transaction.atomic():
                    names = [n for n in [default_cohort, row.get("cohort", "")] if n]
                    cleaned["cohorts"] = [self.cohort(name) for name in names]
                    member, created = services.import_member(**cleaned)
                    if created and options["invite"]:
                        services.email_sign_in_link(member=member, base_url=base_url)
            except (RowError, ValidationError) as error:
                message = " ".join(getattr(error, "messages", [str(error)]))
                counts["skipped"] += 1
                self.stderr.write(
                    _("line %(line)d: skipped %(email)s: %(problems)s")
                    % {
                        "line": line,
                        "email": row.get("email") or _("(no email)"),
                        "problems": message,
                    }
                )
                continue
            seen[cleaned["email"]] = line
            counts["created" if created else "updated"] += 1
            if created and options["invite"]:
                done = _("line %(line)d: created and invited %(email)s (%(username)s)")
            elif created:
                done = _("line %(line)d: created %(email)s (%(username)s)")
            else:
                done = _("line %(line)d: updated %(email)s (%(username)s)")
            self.stdout.write(
                done % {"line": line, "email": member.email, "username": member.username}
            )
        summary = _("%(created)d created, %(updated)d updated, %(skipped)d skipped.") % counts
        if counts["skipped"]:
            self.stderr.write(self.style.ERROR(summary))
            raise CommandError(_("Some rows were skipped: see the lines above."), returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))

    def cohort(self, name: str) -> Cohort:
        if name not in self.cohorts:
            cohort = Cohort.objects.filter(name__iexact=name).first()
            if cohort is None:
                cohort = Cohort.objects.create(name=name, slug=self.cohort_slug(name))
            self.cohorts[name] = cohort
        return self.cohorts[name]

    @staticmethod
    def cohort_slug(name: str) -> str:
        base = slugify(name)[:150] or "cohort"
        slug, number = base, 1
        while Cohort.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        return slug

    def clean_row(self, row: dict[str, str], seen: dict[str, int], line: int) -> dict:
        """The row's values, checked; RowError names every problem of the row."""
        problems = []
        email = row.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("%(email)s is not an email address") % {"email": repr(email)})
        if email in seen:
            problems.append(_("duplicate email (already on line %(line)d)") % {"line": seen[email]})
        country = row.get("country", "").upper()
        if country and country not in dict(countries):
            problems.append(
                _("unknown country %(code)s (use ISO codes such as KE)")
                % {"code": repr(row["country"])}
            )
        type_slug = row.get("stakeholder_type", "")
        if type_slug and type_slug not in self.types:
            problems.append(_("unknown stakeholder type %(slug)s") % {"slug": repr(type_slug)})
        expertise = _split(row.get("expertise", ""))
        unknown_expertise = [slug for slug in expertise if slug not in self.expertise]
        if unknown_expertise:
            problems.append(
                _("unknown expertise %(slugs)s") % {"slugs": ", ".join(unknown_expertise)}
            )
        languages = [code.lower() for code in _split(row.get("languages", ""))]
        unknown_languages = [code for code in languages if code not in LANGUAGE_CODES]
        if unknown_languages:
            problems.append(
                _("unknown language code(s) %(codes)s") % {"codes": ", ".join(unknown_languages)}
            )
        if len(row.get("display_name", "")) > 120:
            problems.append(_("display_name is longer than 120 characters"))
        if len(row.get("organisation", "")) > 200:
            problems.append(_("organisation is longer than 200 characters"))
        if problems:
            raise RowError("; ".join(problems) + ".")
        return {
            "email": email,
            "display_name": row.get("display_name", ""),
            "organisation": row.get("organisation", ""),
            "stakeholder_type": self.types.get(type_slug),
            "country": country,
            "expertise": expertise,
            "languages": languages,
        }
