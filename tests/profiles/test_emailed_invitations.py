"""Moderators invite by email or hand out cohort codes; both approve at sign-up."""

import re

import pytest
from django.urls import reverse

from profiles.models import Invitation, MembershipStatus, User
from tests.factories import CohortFactory
from tests.profiles.test_membership_by_approval import PASSWORD

pytestmark = pytest.mark.django_db


def invite(client, emails: str, cohort=None):
    data = {"invite-emails": emails, "invite-cohort": cohort.pk if cohort else ""}
    return client.post(reverse("moderation:invitations"), data, follow=True)


def test_an_emailed_link_fills_in_the_code_and_approves_at_sign_up(
    client, client_as, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(name="Nairobi 2026")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_as(moderator), "guest@example.org", cohort)
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/signup/\S+)", mailoutbox[-1].body)
    client.logout()

    form = client.get(link.group(1)).content.decode()
    code = Invitation.objects.get(email="guest@example.org").code
    assert f'value="{code}"' in form and 'value="guest@example.org"' in form
    client.post(
        link.group(1),
        {
            "email": "guest@example.org",
            "display_name": "Guest",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "invitation_code": code,
        },
    )

    guest = User.objects.get(email="guest@example.org")
    assert guest.status == MembershipStatus.APPROVED
    assert list(guest.cohorts.all()) == [cohort]


def test_inviting_a_member_and_a_stranger_answers_alike(
    client_as, moderator, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = invite(client_as(moderator), member.email)
        unknown = invite(client_as(moderator), "stranger@example.org")

    assert known.status_code == unknown.status_code == 200
    assert "Invitation sent to 1 address." in known.content.decode()
    assert "Invitation sent to 1 address." in unknown.content.decode()
    assert not Invitation.objects.filter(email=member.email).exists()
    assert {m.to[0] for m in mailoutbox} == {member.email, "stranger@example.org"}


def test_a_bad_address_re_renders_the_form_with_what_was_typed(client_as, moderator):
    response = client_as(moderator).post(
        reverse("moderation:invitations"), {"invite-emails": "ok@example.org\nnot-an-email"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "These are not email addresses: not-an-email" in html
    assert "ok@example.org" in html
    assert not Invitation.objects.exists()


def test_a_moderator_creates_a_cohort_code_that_approves_its_users(client, client_as, moderator):
    cohort = CohortFactory()
    client_as(moderator).post(
        reverse("moderation:invitations"),
        {"code-cohort": cohort.pk, "code-max_uses": 2, "code-valid_days": 10},
    )
    code = Invitation.objects.get(cohort=cohort).code
    client.logout()

    client.post(
        reverse("account_signup"),
        {
            "email": "t1@example.org",
            "display_name": "T1",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "invitation_code": code,
        },
    )

    assert User.objects.get(email="t1@example.org").status == MembershipStatus.APPROVED


def test_only_moderators_reach_the_invitations_page(client_as, member):
    assert client_as(member).get(reverse("moderation:invitations")).status_code == 404
