"""A kind set to "never" reaches the member on the site only, never by email."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Kind, Notification
from notifications.services import notify, set_email_preferences

pytestmark = pytest.mark.django_db


def test_never_sends_no_email_at_once(
    member, other_member, prefer, django_capture_on_commit_callbacks
):
    prefer(member, Kind.MENTION, "never")

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=member, kind=Kind.MENTION, text="Mentioned", actor=other_member)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=member).count() == 1


def test_never_keeps_the_kind_out_of_the_digest(member, other_member, prefer):
    prefer(member, Kind.REPLY, "never")
    notify(recipient=member, kind=Kind.REPLY, text="A reply", actor=other_member)

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        call_command("send_notifications")

    assert mail.outbox == []


def test_switching_to_never_drops_what_was_waiting_for_the_digest(member, other_member):
    notify(recipient=member, kind=Kind.REPLY, text="A reply", actor=other_member)

    set_email_preferences(member=member, deliveries={Kind.REPLY: "never"})
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        call_command("send_notifications")

    assert mail.outbox == []


def test_other_kinds_still_arrive(member, other_member, prefer):
    prefer(member, Kind.REPLY, "never")
    notify(recipient=member, kind=Kind.REPLY, text="A reply", actor=other_member)
    notify(recipient=member, kind=Kind.NEW_TOPIC, text="A new topic", actor=other_member)

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        call_command("send_notifications")

    assert len(mail.outbox) == 1
    assert "A new topic" in mail.outbox[0].body and "A reply" not in mail.outbox[0].body
