"""Sign-up, password reset and login answer alike for known and unknown emails."""

import re

import pytest
from django.urls import reverse

from tests.profiles.test_membership_by_approval import PASSWORD

pytestmark = pytest.mark.django_db


def scrub(html: str, *emails: str) -> str:
    for email in emails:
        html = html.replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def signup_response(client, email):
    response = client.post(
        reverse("account_signup"),
        {"email": email, "display_name": "X", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    client.logout()
    return response


def test_sign_up_answers_alike_for_a_taken_and_a_free_email(client, member, mailoutbox):
    taken = signup_response(client, member.email)
    free = signup_response(client, "free@example.org")

    assert taken.status_code == free.status_code == 200
    assert taken.redirect_chain == free.redirect_chain
    assert scrub(taken.content.decode(), member.email) == scrub(
        free.content.decode(), "free@example.org"
    )
    # Both addresses get a mail: the owner of the taken one learns someone tried.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.email, "free@example.org"])


def test_password_reset_answers_alike_for_a_known_and_an_unknown_email(client, member, mailoutbox):
    known = client.post(reverse("account_reset_password"), {"email": member.email}, follow=True)
    unknown = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}, follow=True
    )

    assert known.redirect_chain == unknown.redirect_chain
    assert scrub(known.content.decode(), member.email) == scrub(
        unknown.content.decode(), "nobody@example.org"
    )


def test_a_wrong_password_and_an_unknown_email_get_the_same_error(client, member):
    wrong = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    unknown = client.post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "nope"}
    )

    assert scrub(wrong.content.decode(), member.email) == scrub(
        unknown.content.decode(), "nobody@example.org"
    )


def test_password_reset_sends_a_working_link(client, member, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": member.email})

    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "another-long-passphrase-77"
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )

    member.refresh_from_db()
    assert member.check_password(new_password)
