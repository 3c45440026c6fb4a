"""Every email's unsubscribe link works in one click without signing in, and cannot be forged."""

import re

import pytest
from django.core import mail, signing
from django.test import Client

from notifications.emails import make_unsubscribe_token
from notifications.models import Kind
from notifications.selectors import get_email_preferences
from notifications.services import notify

pytestmark = pytest.mark.django_db


def email_for(member, other_member, capture, kind=Kind.MENTION):
    with capture(execute=True):
        notify(recipient=member, kind=kind, text="Carlos mentioned you", actor=other_member)
    return mail.outbox[-1]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_email_offers_one_click_unsubscribe(
    member, other_member, django_capture_on_commit_callbacks
):
    email = email_for(member, other_member, django_capture_on_commit_callbacks)

    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in email.body


def test_opening_the_link_asks_first_and_changes_nothing(
    member, other_member, django_capture_on_commit_callbacks
):
    email = email_for(member, other_member, django_capture_on_commit_callbacks)
    link = path_of(email.extra_headers["List-Unsubscribe"].strip("<>"))

    response = Client().get(link)

    assert response.status_code == 200
    assert b"Unsubscribe" in response.content
    assert get_email_preferences(member=member)[Kind.MENTION] == "immediately"


def test_a_one_click_post_without_signing_in_stops_that_kind(
    member, other_member, django_capture_on_commit_callbacks
):
    email = email_for(member, other_member, django_capture_on_commit_callbacks)
    link = path_of(email.extra_headers["List-Unsubscribe"].strip("<>"))
    mail_provider = Client(enforce_csrf_checks=True)  # posts with no cookie and no CSRF token

    response = mail_provider.post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    preferences = get_email_preferences(member=member)
    assert preferences[Kind.MENTION] == "never"
    assert preferences[Kind.DIRECT_MESSAGE] == "immediately"


def test_the_digest_link_stops_every_kind_in_the_digest(member):
    token = make_unsubscribe_token(member=member, scope="digest")

    Client().post(f"/notifications/unsubscribe/{token}/")

    preferences = get_email_preferences(member=member)
    assert preferences[Kind.REPLY] == preferences[Kind.NEW_TOPIC] == "never"
    assert preferences[Kind.MENTION] == "immediately"


def test_a_tampered_token_is_refused_and_changes_nothing(member, other_member):
    token = make_unsubscribe_token(member=member, scope=Kind.MENTION)
    payload, signature = token.rsplit(":", 1)
    forged_signature = payload + ":" + ("A" if signature[0] != "A" else "B") + signature[1:]
    forged_payload = signing.dumps({"m": other_member.pk, "s": Kind.MENTION}).rsplit(":", 1)[0]
    swapped = forged_payload + ":" + signature

    responses = [
        Client().post(f"/notifications/unsubscribe/{bad}/")
        for bad in (forged_signature, swapped, "x")
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert get_email_preferences(member=member)[Kind.MENTION] == "immediately"
    assert get_email_preferences(member=other_member)[Kind.MENTION] == "immediately"


def test_a_token_signed_for_something_else_is_refused(member):
    other_purpose = signing.dumps({"m": member.pk, "s": Kind.MENTION})  # default salt

    response = Client().post(f"/notifications/unsubscribe/{other_purpose}/")

    assert response.status_code == 404
    assert get_email_preferences(member=member)[Kind.MENTION] == "immediately"


def test_unsubscribing_twice_is_harmless(member):
    token = make_unsubscribe_token(member=member, scope=Kind.REPLY)

    first = Client().post(f"/notifications/unsubscribe/{token}/")
    second = Client().post(f"/notifications/unsubscribe/{token}/")

    assert first.status_code == second.status_code == 200
    assert get_email_preferences(member=member)[Kind.REPLY] == "never"
