"""Times on pages read in the member's own time zone, as their profile sets it."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from forums import services as forum_services
from forums.models import Category
from profiles import services as profile_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic_posted_at_nine_utc(member):
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False):
        return forum_services.create_topic(
            author=member,
            category=Category.objects.get(slug="introductions"),
            title="Hello from Nairobi",
            body="Glad to be here.",
        )


def test_a_member_in_tokyo_sees_the_post_time_in_tokyo(
    client_as, other_member, topic_posted_at_nine_utc, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        profile_services.update_profile(member=other_member, data={"time_zone": "Asia/Tokyo"})

    page = client_as(other_member).get(topic_posted_at_nine_utc.get_absolute_url()).content.decode()

    assert "27 Nov 2026, 18:00" in page


def test_changing_zone_takes_effect_on_the_next_page(
    client_as, other_member, topic_posted_at_nine_utc, django_capture_on_commit_callbacks
):
    client = client_as(other_member)
    assert (
        "27 Nov 2026, 09:00"
        in client.get(topic_posted_at_nine_utc.get_absolute_url()).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        profile_services.update_profile(
            member=other_member, data={"time_zone": "America/Mexico_City"}
        )

    assert (
        "27 Nov 2026, 03:00"
        in client.get(topic_posted_at_nine_utc.get_absolute_url()).content.decode()
    )


def test_visitors_see_utc(client, topic_posted_at_nine_utc):
    topic_posted_at_nine_utc.category.access = "public"
    topic_posted_at_nine_utc.category.save()

    page = client.get(
        reverse(
            "forums:topic-detail", args=[topic_posted_at_nine_utc.id, topic_posted_at_nine_utc.slug]
        )
    ).content.decode()

    assert "27 Nov 2026, 09:00" in page
