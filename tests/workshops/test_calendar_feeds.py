"""Calendar feeds: valid iCalendar with UTC times, one per workshop and one per member."""

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.factories import UserFactory
from workshops import services
from workshops.models import CalendarToken

pytestmark = pytest.mark.django_db


def _last_sunday_of_october(year: int) -> date:
    last = date(year, 10, 31)
    return last - timedelta(days=(last.weekday() - calendar.SUNDAY) % 7)


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    return parsed, [component for component in parsed.walk("VEVENT")]


@pytest.fixture
def paris_series(client_as, facilitator):
    """Two 10:00 Paris sessions, either side of the autumn clock change, made through the
    scheduling form as a facilitator would type them."""
    change = _last_sunday_of_october(timezone.now().year + 1)
    client = client_as(facilitator)
    slugs = []
    for day in (change - timedelta(days=5), change + timedelta(days=2)):
        response = client.post(
            "/workshops/new/",
            {
                "title": f"Trafficking Protocol clinic {day.isoformat()}",
                "time_zone": "Europe/Paris",
                "starts_at": f"{day.isoformat()}T10:00",
                "ends_at": f"{day.isoformat()}T12:00",
                "is_registration_open": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        slugs.append(response["Location"].strip("/").split("/")[-1])
    return change, slugs


def test_a_workshop_feed_keeps_10_00_paris_across_the_clock_change(paris_series, client_as, member):
    change, slugs = paris_series
    client = client_as(member)

    starts = []
    for slug in slugs:
        parsed, (event,) = _events(client.get(f"/workshops/{slug}.ics"))
        starts.append((event.decoded("dtstart"), event.decoded("dtend")))

    before, after = change - timedelta(days=5), change + timedelta(days=2)
    assert starts == [
        (datetime(before.year, before.month, before.day, 8, tzinfo=UTC),
         datetime(before.year, before.month, before.day, 10, tzinfo=UTC)),
        (datetime(after.year, after.month, after.day, 9, tzinfo=UTC),
         datetime(after.year, after.month, after.day, 11, tzinfo=UTC)),
    ]  # fmt: skip


def test_times_are_written_in_utc_with_the_fields_calendar_apps_need(
    paris_series, client_as, member
):
    _change, slugs = paris_series

    response = client_as(member).get(f"/workshops/{slugs[0]}.ics")

    parsed, (event,) = _events(response)
    raw = response.content.decode()
    assert parsed["VERSION"] == "2.0" and parsed["PRODID"]
    assert "\r\n" in raw  # RFC 5545 lines end in CRLF
    assert "DTSTART:" in raw and raw.split("DTSTART:")[1].split("\r\n")[0].endswith("Z")
    assert event["UID"].startswith("workshop-")
    assert event.decoded("dtstamp").tzinfo is not None
    assert str(event["SUMMARY"]).startswith("Trafficking Protocol clinic")
    assert str(event["URL"]).endswith(f"/workshops/{slugs[0]}/")
    assert "Europe/Paris" in str(event["DESCRIPTION"])


def test_the_member_feed_lists_the_workshops_they_take_part_in(make_workshop, client_as, member):
    mine = make_workshop(title="Registered one")
    make_workshop(title="Someone else's")
    services.register(workshop=mine, member=member)
    token = services.get_calendar_token(member=member).token

    response = client_as(None).get("/workshops/calendar.ics", {"token": token})

    _parsed, events = _events(response)
    assert [str(event["SUMMARY"]) for event in events] == ["Registered one"]
    assert events[0].decoded("dtstart") == mine.starts_at.astimezone(UTC).replace(microsecond=0)


def test_a_reset_token_stops_the_old_address_working(client_as, member):
    old = services.get_calendar_token(member=member).token

    client_as(member).post("/workshops/calendar-token/")

    new = CalendarToken.objects.get(member=member).token
    assert new != old
    assert client_as(None).get("/workshops/calendar.ics", {"token": old}).status_code == 404
    assert client_as(None).get("/workshops/calendar.ics", {"token": new}).status_code == 200


def test_an_unknown_or_missing_token_looks_like_nothing(client_as):
    client = client_as(None)

    assert client.get("/workshops/calendar.ics").status_code == 404
    assert client.get("/workshops/calendar.ics", {"token": "guess"}).status_code == 404


def test_a_suspended_members_feed_stops(client_as):
    member = UserFactory()
    token = services.get_calendar_token(member=member).token
    member.status = "suspended"
    member.save()

    assert client_as(None).get("/workshops/calendar.ics", {"token": token}).status_code == 404


def test_the_list_page_shows_the_private_address_after_asking_for_it(client_as, member):
    client = client_as(member)

    client.post("/workshops/calendar-token/")
    page = client.get("/workshops/").content.decode()

    token = CalendarToken.objects.get(member=member).token
    assert f"/workshops/calendar.ics?token={token}" in page
