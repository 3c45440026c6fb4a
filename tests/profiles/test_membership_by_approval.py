"""Sign-up → pending → approval (or rejection) → member pages."""

import re

import pytest
from django.urls import reverse

from profiles.models import MembershipStatus, User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_up(client, email: str, *, code: str = ""):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "New Person",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "invitation_code": code,
        },
    )


def confirm_email_from(mailoutbox, client):
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    return client.post(link.group(1))


def test_a_new_sign_up_is_pending_and_sees_only_the_waiting_page(client, mailoutbox):
    sign_up(client, "new@example.org")
    confirm_email_from(mailoutbox, client)

    user = User.objects.get(email="new@example.org")
    assert user.status == MembershipStatus.PENDING
    response = client.get(reverse("profiles:member-list"))
    assert response.status_code == 302 and response["Location"] == reverse("membership-waiting")
    assert "Waiting for approval" in client.get(reverse("membership-waiting")).content.decode()


def test_a_moderator_approves_and_the_member_reaches_member_pages(
    client, client_as, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, "new@example.org")
    confirm_email_from(mailoutbox, client)
    applicant = User.objects.get(email="new@example.org")

    moderation = client_as(moderator)
    listing = moderation.get(reverse("moderation:members")).content.decode()
    assert "New Person" in listing
    with django_capture_on_commit_callbacks(execute=True):
        moderation.post(reverse("moderation:approve-member", args=[applicant.pk]))

    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.APPROVED
    assert mailoutbox[-1].to == ["new@example.org"]
    assert "approved" in mailoutbox[-1].body
    assert client_as(applicant).get(reverse("profiles:member-list")).status_code == 200


def test_a_rejected_applicant_is_told_the_reason(
    client_as, moderator, pending_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(moderator).post(
            reverse("moderation:reject-member", args=[pending_member.pk]),
            {"reason": "We could not confirm your SE4U training."},
        )

    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.REJECTED
    assert "We could not confirm your SE4U training." in mailoutbox[-1].body
    page = client_as(pending_member).get(reverse("membership-waiting")).content.decode()
    assert "We could not confirm your SE4U training." in page
    assert client_as(pending_member).get(reverse("profiles:member-list")).status_code == 302


def test_rejecting_without_a_reason_re_renders_with_an_error(client_as, moderator, pending_member):
    response = client_as(moderator).post(
        reverse("moderation:reject-member", args=[pending_member.pk]), {"reason": ""}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.PENDING


def test_a_member_who_is_not_a_moderator_cannot_see_the_moderation_page(client_as, member):
    assert client_as(member).get(reverse("moderation:members")).status_code == 404


def test_approving_needs_a_post_with_csrf(client, moderator, pending_member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")

    response = strict.post(reverse("moderation:approve-member", args=[pending_member.pk]))

    assert response.status_code == 403
    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.PENDING


def test_a_pending_member_can_still_sign_in_with_a_password(client, pending_member):
    response = client.post(
        reverse("account_login"), {"login": pending_member.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("membership-waiting")
