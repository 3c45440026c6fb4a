"""Demo data gives the demo member a few notifications, once, and emails nobody."""

import random

import pytest
from django.core import mail

from notifications.demo import DEMO_TEXTS, seed_notifications
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_seeding_twice_creates_the_notifications_once(member, other_member):
    first = seed_notifications(member=member, rng=random.Random(1))

    second = seed_notifications(member=member, rng=random.Random(1))

    assert (first, second) == (len(DEMO_TEXTS), 0)
    assert Notification.objects.filter(recipient=member).count() == len(DEMO_TEXTS)
    assert mail.outbox == []
