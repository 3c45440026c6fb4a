"""What is sent to a member is in their language, whoever's action caused it: the daily
digest, emails, and the text of notifications (stored as the recipient reads it)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from forums import services as forum_services
from forums.models import Category
from notifications.models import Notification
from notifications.services import send_due_digests
from profiles import services as profile_services
from profiles.models import Profile

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


def prefers(member, language: str) -> None:
    Profile.objects.filter(user=member).update(preferred_language=language)
    member.refresh_from_db()


def test_a_member_whose_language_is_french_receives_a_french_digest(
    member, other_member, django_capture_on_commit_callbacks
):
    prefers(member, "fr")
    with time_machine.travel(MORNING - timedelta(hours=5), tick=False):
        topic = forum_services.create_topic(
            author=member,
            category=Category.objects.get(slug="introductions"),
            title="Bonjour à tous",
            body="Ravie d'être ici.",
        )
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            forum_services.reply(author=other_member, topic=topic, body="Welcome!")

    with time_machine.travel(MORNING, tick=False):
        assert send_due_digests(now=MORNING) == 1

    digest = mail.outbox[-1]
    assert digest.extra_headers["Content-Language"] == "fr"
    assert "Votre récapitulatif quotidien : 1 nouvelle notification" in digest.subject
    assert "Bonjour Amina Okafor," in digest.body
    assert "Voici ce qui s'est passé sur le réseau depuis votre dernier récapitulatif" in (
        digest.body
    )
    assert "Carlos Mendoza a répondu dans « Bonjour à tous »" in digest.body


def test_a_notification_is_written_in_the_recipients_language_not_the_actors(member, other_member):
    prefers(other_member, "fr")

    with translation.override("en"):
        profile_services.request_connection(sender=member, recipient=other_member, note="")

    notification = Notification.objects.get(recipient=other_member)
    assert notification.text == "Amina Okafor souhaite entrer en relation avec vous."


def test_an_english_reader_still_gets_english(member, other_member):
    with translation.override("fr"):
        profile_services.request_connection(sender=other_member, recipient=member, note="")

    assert Notification.objects.get(recipient=member).text == (
        "Carlos Mendoza would like to connect with you."
    )


def test_the_approval_email_is_in_the_applicants_language(
    pending_member, moderator, django_capture_on_commit_callbacks
):
    prefers(pending_member, "fr")

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        profile_services.approve_member(member=pending_member, moderator=moderator)

    with translation.override("fr"):
        expected = translation.gettext("Your membership is approved.")
    assert expected != "Your membership is approved."
    assert Notification.objects.get(recipient=pending_member).text == expected
    subjects = {}
    for language in ("en", "fr"):
        with translation.override(language):
            subjects[language] = render_to_string(
                "profiles/email/approved_subject.txt",
                {"site_name": translation.gettext(settings.SITE_NAME)},
            ).strip()
    assert subjects["fr"] != subjects["en"]
    assert mail.outbox[-1].to == [pending_member.email]
    assert mail.outbox[-1].subject == subjects["fr"]
