"""A workshop from start to finish, through the pages a facilitator and a member use:
schedule, register, reminder, open the room, talk, ask, answer, end, read the archive."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from icalendar import Calendar

from notifications.models import Kind, Notification
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_a_workshop_from_scheduling_to_its_archive(client, facilitator, member):
    start = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    client.force_login(facilitator, backend="django.contrib.auth.backends.ModelBackend")
    client.post(
        "/workshops/new/",
        {
            "title": "Country review: the constructive dialogue",
            "agenda": "- Welcome\n- Q&A",
            "time_zone": "UTC",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "10",
            "is_registration_open": "on",
            "is_qa_enabled": "on",
            "create_private_category": "on",
        },
    )
    workshop = Workshop.objects.get()
    page = workshop.get_absolute_url()

    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    client.post(f"{page}register/")
    feed = Calendar.from_ical(client.get(f"/workshops/{workshop.slug}.ics").content)
    assert next(iter(feed.walk("VEVENT"))).decoded("dtstart") == start

    with time_machine.travel(start - timedelta(minutes=10), tick=False):
        call_command("send_notifications", stdout=StringIO())
    assert Notification.objects.filter(recipient=member, kind=Kind.WORKSHOP_REMINDER).exists()

    client.force_login(facilitator, backend="django.contrib.auth.backends.ModelBackend")
    client.post(f"{page}room/", {"action": "open"})
    assert Notification.objects.filter(recipient=member, kind=Kind.WORKSHOP_ROOM_OPENED).exists()

    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    room_url = f"/chat/{workshop.room.slug}/"
    assert room_url in client.get(page).content.decode()
    client.post(room_url, {"body": "Hello from Accra", "client_id": "j1"})
    client.post(f"{page}questions/", {"body": "Who drafts the summary?", "client_id": "q1"})
    question = workshop.questions.get()

    client.force_login(facilitator, backend="django.contrib.auth.backends.ModelBackend")
    client.post(room_url, {"body": "Welcome, everyone", "client_id": "j2"})
    client.post(f"{page}questions/{question.pk}/answer/", {"answered": "1"})
    client.post(f"{page}announcements/", {"body": "Slides are in the category"})
    client.post(f"{page}end/")

    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    workshop.refresh_from_db()
    assert workshop.archive_topic.get_absolute_url() in client.get(page).content.decode()
    archive = client.get(workshop.archive_topic.get_absolute_url())
    text = archive.content.decode()
    assert archive.status_code == 200
    assert text.index("Hello from Accra") < text.index("Welcome, everyone")
    assert "Who drafts the summary?" in text and "Slides are in the category" in text
    assert client.get(room_url).status_code == 403
