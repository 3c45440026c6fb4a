"""send_notifications sends each member one daily digest, however often it runs."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from notifications.models import Digest, EmailStatus, Kind, Notification
from notifications.services import notify, send_due_digests
from tests.factories import UserFactory

MORNING = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


def run_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_running_the_command_twice_sends_the_digest_once(member, other_member):
    with time_machine.travel(MORNING - timedelta(hours=5), tick=False):
        notify(recipient=member, kind=Kind.REPLY, text="Carlos replied", actor=other_member)
        notify(recipient=member, kind=Kind.NEW_TOPIC, text="A new topic", actor=other_member)

    with time_machine.travel(MORNING, tick=False):
        first = run_command()
        second = run_command()

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [member.email]
    assert "Carlos replied" in digest.body and "A new topic" in digest.body
    assert "digests: 1 sent" in first and "digests: 0 sent" in second
    assert Digest.objects.filter(recipient=member).count() == 1


@pytest.mark.django_db
def test_the_next_day_brings_only_what_is_new(member, other_member):
    with time_machine.travel(MORNING - timedelta(hours=1), tick=False):
        notify(recipient=member, kind=Kind.REPLY, text="Old reply", actor=other_member)
    with time_machine.travel(MORNING, tick=False):
        run_command()
        notify(recipient=member, kind=Kind.REPLY, text="Later reply", actor=other_member)
        run_command()  # today's digest went already: the later reply waits for tomorrow

    with time_machine.travel(MORNING + timedelta(days=1), tick=False):
        run_command()

    assert len(mail.outbox) == 2
    assert "Later reply" in mail.outbox[1].body and "Old reply" not in mail.outbox[1].body


@pytest.mark.django_db
def test_what_the_member_already_read_is_left_out(member, other_member):
    with time_machine.travel(MORNING - timedelta(hours=1), tick=False):
        notify(recipient=member, kind=Kind.REPLY, text="Read on the site", actor=other_member)
        Notification.objects.filter(recipient=member).update(read_at=MORNING)

    with time_machine.travel(MORNING, tick=False):
        run_command()

    assert mail.outbox == []
    assert Notification.objects.get(recipient=member).email_status == EmailStatus.NONE


@pytest.mark.django_db
def test_each_member_gets_their_own_digest(member, other_member):
    third = UserFactory()
    with time_machine.travel(MORNING - timedelta(hours=1), tick=False):
        notify(recipient=member, kind=Kind.REPLY, text="For Amina", actor=third)
        notify(recipient=other_member, kind=Kind.REPLY, text="For Carlos", actor=third)

    with time_machine.travel(MORNING, tick=False):
        run_command()

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "For Amina" in bodies[member.email] and "For Carlos" not in bodies[member.email]
    assert "For Carlos" in bodies[other_member.email]


@pytest.mark.django_db
def test_a_suspended_account_gets_no_digest(member, other_member):
    with time_machine.travel(MORNING - timedelta(hours=1), tick=False):
        notify(recipient=member, kind=Kind.REPLY, text="Reply", actor=other_member)
    member.status = "suspended"
    member.save(update_fields=["status"])

    with time_machine.travel(MORNING, tick=False):
        run_command()

    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_send_is_retried_by_the_next_run(member, other_member, monkeypatch):
    with time_machine.travel(MORNING - timedelta(hours=1), tick=False):
        notify(recipient=member, kind=Kind.REPLY, text="Reply", actor=other_member)
    from django.core.mail import EmailMultiAlternatives

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    with time_machine.travel(MORNING, tick=False):
        with monkeypatch.context() as patch:
            patch.setattr(EmailMultiAlternatives, "send", refuse)
            run_command()
        run_command()

    assert len(mail.outbox) == 1
    assert Digest.objects.filter(recipient=member).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_one_digest(member, other_member):
    for number in range(5):
        notify(recipient=member, kind=Kind.REPLY, text=f"Reply {number}", actor=other_member)
    now = datetime.now(UTC) + timedelta(minutes=1)
    start = threading.Barrier(2)
    sent = []

    def run():
        try:
            start.wait()
            sent.append(send_due_digests(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(sent) == [0, 1]
    assert len(mail.outbox) == 1
