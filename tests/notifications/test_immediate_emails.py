"""Kinds a member wants at once are emailed when the notification commits, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notifications.models import EmailStatus, Kind, Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def test_a_mention_is_emailed_when_it_commits(
    member, other_member, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://network.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=member,
            kind=Kind.MENTION,
            text="Carlos mentioned you in Article 32",
            url="/forums/t/7-article-32/",
            actor=other_member,
        )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [member.email]
    assert "Carlos mentioned you in Article 32" in email.subject
    assert "https://network.example.org/forums/t/7-article-32/" in email.body
    assert Notification.objects.get(recipient=member).email_status == EmailStatus.SENT


def test_nothing_is_emailed_for_a_rolled_back_notification(
    member, other_member, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=member, kind=Kind.MENTION, text="Never", actor=other_member)
        raise RuntimeError("the post failed")

    assert mail.outbox == []


def test_the_email_is_in_the_members_language(
    member, other_member, django_capture_on_commit_callbacks
):
    member.profile.preferred_language = "fr"
    member.profile.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=member, kind=Kind.DIRECT_MESSAGE, text="Bonjour", actor=other_member)

    assert mail.outbox[0].extra_headers["Content-Language"] == "fr"


def test_a_digest_kind_is_not_emailed_at_once(
    member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=member, kind=Kind.REPLY, text="A reply", actor=other_member)

    assert mail.outbox == []
    assert Notification.objects.get(recipient=member).email_status == EmailStatus.DUE


def test_an_email_that_failed_is_sent_once_by_the_command(
    member, other_member, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        notify(recipient=member, kind=Kind.MENTION, text="Mentioned", actor=other_member)
    assert Notification.objects.get(recipient=member).email_status == EmailStatus.DUE
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))

    call_command("send_notifications", "--only", "emails")
    call_command("send_notifications", "--only", "emails")

    assert len(mail.outbox) == 1
    assert Notification.objects.get(recipient=member).email_status == EmailStatus.SENT
