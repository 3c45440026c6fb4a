"""Dates and times read in the page's language and in the member's own time zone."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.utils import formats, translation

from forums import services as forum_services
from forums.models import Category
from profiles import services as profile_services
from tests.i18n.test_templates_marked import template_files

NAMED_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "c",  # ISO 8601, for machines (the datetime attribute of <time>)
    "U",
}
DATE_FILTER = re.compile(r"""\|\s*(?:date|time)\s*:\s*(?:"([^"]*)"|'([^']*)')""")

NINE_UTC = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def test_templates_format_dates_by_name_never_in_one_languages_order():
    literal = []
    for path in template_files():
        for match in DATE_FILTER.finditer(path.read_text(encoding="utf-8")):
            wanted = match.group(1) if match.group(1) is not None else match.group(2)
            if wanted not in NAMED_FORMATS:
                literal.append(f"{path.relative_to(settings.BASE_DIR)}: {wanted!r}")
    assert not literal, "Use a named format (SHORT_DATETIME_FORMAT…):\n" + "\n".join(literal)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "27 Nov 2026, 09:00"),
        ("fr", "27/11/2026 09:00"),
        ("es", "27/11/2026 09:00"),
        ("ru", "27.11.2026 09:00"),
        ("zh-hans", "2026年11月27日 09:00"),
        ("ar", "27\u200f/11\u200f/2026 9:00 ص"),
    ],
)
def test_the_short_date_and_time_follow_the_language(language, expected):
    with translation.override(language):
        assert formats.date_format(NINE_UTC, "SHORT_DATETIME_FORMAT") == expected


def test_arabic_dates_with_a_time_are_written_in_arabic():
    with translation.override("ar"):
        written = formats.date_format(NINE_UTC, "DATETIME_FORMAT")
    assert written == "27 نوفمبر، 2026، 9:00 ص"


@pytest.mark.django_db
def test_a_french_reader_in_tokyo_sees_a_post_time_in_french_order_and_tokyo_time(
    client_as, member, other_member, django_capture_on_commit_callbacks
):
    with time_machine.travel(NINE_UTC, tick=False):
        topic = forum_services.create_topic(
            author=member,
            category=Category.objects.get(slug="introductions"),
            title="Hello from Nairobi",
            body="Glad to be here.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.update_profile(member=other_member, data={"time_zone": "Asia/Tokyo"})
    client = client_as(other_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = client.get(topic.get_absolute_url()).content.decode()

    assert '<html lang="fr"' in page
    assert "27/11/2026 18:00" in page
