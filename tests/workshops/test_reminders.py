"""Participants are reminded a day and a quarter of an hour before, once each, however often
the sending command runs."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Kind, Notification
from tests.factories import CohortFactory, UserFactory
from workshops import services
from workshops.reminders import send_due_reminders

pytestmark = pytest.mark.django_db


def _reminders():
    return Notification.objects.filter(kind=Kind.WORKSHOP_REMINDER)


def _run_command():
    call_command("send_notifications", "--only", "workshop-reminders", stdout=StringIO())


@pytest.fixture
def tomorrow(make_workshop):
    """A workshop starting in 23 hours, with a registered member."""
    workshop = make_workshop(starts_in=timedelta(hours=23))
    participant = UserFactory()
    services.register(workshop=workshop, member=participant)
    return workshop, participant


def test_running_the_command_twice_reminds_once(tomorrow, facilitator):
    workshop, participant = tomorrow

    _run_command()
    _run_command()

    assert sorted(_reminders().values_list("recipient", flat=True)) == sorted(
        [participant.pk, facilitator.pk]
    )
    reminder = _reminders().get(recipient=participant)
    assert reminder.url == workshop.get_absolute_url()
    assert workshop.title in reminder.text


def test_the_quarter_hour_reminder_comes_as_well(tomorrow):
    workshop, participant = tomorrow
    _run_command()

    with time_machine.travel(workshop.starts_at - timedelta(minutes=10), tick=False):
        _run_command()
        _run_command()

    texts = list(
        _reminders().filter(recipient=participant).order_by("id").values_list("text", flat=True)
    )
    assert len(texts) == 2 and "15 minutes" in texts[1]


def test_a_workshop_first_seen_inside_the_last_quarter_hour_gets_one_reminder(make_workshop):
    workshop = make_workshop(starts_in=timedelta(minutes=12))
    participant = UserFactory()
    services.register(workshop=workshop, member=participant)

    send_due_reminders(now=timezone.now())
    send_due_reminders(now=timezone.now())

    assert _reminders().filter(recipient=participant).count() == 1


def test_cohort_members_and_facilitators_are_reminded_too(make_workshop, facilitator):
    cohort = CohortFactory()
    alumnus = UserFactory()
    cohort.members.add(alumnus)
    make_workshop(starts_in=timedelta(hours=3), cohort=cohort)

    send_due_reminders(now=timezone.now())

    assert set(_reminders().values_list("recipient", flat=True)) == {alumnus.pk, facilitator.pk}


def test_members_who_gave_their_seat_back_are_not_reminded(tomorrow):
    workshop, participant = tomorrow
    services.unregister(workshop=workshop, member=participant)

    send_due_reminders(now=timezone.now())

    assert not _reminders().filter(recipient=participant).exists()


def test_nothing_is_sent_for_a_cancelled_workshop(tomorrow, facilitator):
    workshop, _participant = tomorrow
    services.cancel_workshop(workshop=workshop, by=facilitator)

    send_due_reminders(now=timezone.now())

    assert not _reminders().exists()


def test_a_rescheduled_workshop_is_reminded_of_again(tomorrow, facilitator):
    workshop, participant = tomorrow
    send_due_reminders(now=timezone.now())
    later = workshop.starts_at - timedelta(hours=2)

    services.update_workshop(
        workshop=workshop,
        by=facilitator,
        title=workshop.title,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        time_zone=workshop.time_zone,
    )
    send_due_reminders(now=timezone.now())
    send_due_reminders(now=timezone.now())

    assert _reminders().filter(recipient=participant).count() == 2


def test_workshops_further_away_wait(make_workshop):
    workshop = make_workshop(starts_in=timedelta(days=3))
    services.register(workshop=workshop, member=UserFactory())

    send_due_reminders(now=timezone.now())

    assert not _reminders().exists()
