"""seed_demo's workshops: upcoming ones to join, past ones with their transcripts, once."""

import random

import pytest
from django.core import mail
from django.utils import timezone

from profiles.demo import ensure_demo_logins, seed_members
from workshops.demo import PLANS, seed_workshops
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ensure_demo_logins()
    seed_members(count=30, rng=random.Random(3), progress=lambda _n: None)


def test_seeding_twice_creates_the_workshops_once(people):
    first = seed_workshops(rng=random.Random(5))

    second = seed_workshops(rng=random.Random(5))

    assert (first, second) == (len(PLANS), 0)
    assert Workshop.objects.count() == len(PLANS)
    assert mail.outbox == []


def test_past_workshops_have_transcripts_and_upcoming_ones_take_registrations(people):
    seed_workshops(rng=random.Random(5))
    now = timezone.now()

    past = Workshop.objects.filter(ends_at__lt=now)
    upcoming = Workshop.objects.filter(starts_at__gt=now)

    assert past.count() >= 2 and upcoming.count() >= 2
    for workshop in past:
        assert workshop.archive_topic is not None
        transcript = "\n".join(workshop.archive_topic.posts.values_list("body", flat=True))
        assert "## Messages" in transcript and "> " in transcript
    assert all(workshop.seat_count > 0 for workshop in upcoming)
    assert Workshop.objects.filter(room__is_open=True).exists()  # one is live now
