"""/notifications/settings/: per kind, email at once, in the daily digest, or never."""

import pytest

from notifications.models import DEFAULT_DELIVERY, EMAIL_KINDS, Kind
from notifications.selectors import get_email_preferences

pytestmark = pytest.mark.django_db


def test_a_new_member_sees_the_defaults(client_as, member):
    response = client_as(member).get("/notifications/settings/")

    form = response.context["form"]
    assert {kind: form[kind].value() for kind in EMAIL_KINDS} == DEFAULT_DELIVERY
    assert response.status_code == 200


def test_choices_are_saved_per_kind(client_as, member):
    choices = dict(DEFAULT_DELIVERY, mention="never", reply="immediately")

    response = client_as(member).post("/notifications/settings/", choices)

    assert response.status_code == 302
    saved = get_email_preferences(member=member)
    assert (saved[Kind.MENTION], saved[Kind.REPLY]) == ("never", "immediately")
    assert saved[Kind.DIRECT_MESSAGE] == DEFAULT_DELIVERY[Kind.DIRECT_MESSAGE]


def test_a_bad_choice_is_shown_and_nothing_is_saved(client_as, member):
    choices = dict(DEFAULT_DELIVERY, mention="hourly", reply="never")

    response = client_as(member).post("/notifications/settings/", choices)

    assert response.status_code == 200
    assert "mention" in response.context["form"].errors
    assert get_email_preferences(member=member) == DEFAULT_DELIVERY


def test_each_choice_is_a_labelled_radio_button(client_as, member):
    html = client_as(member).get("/notifications/settings/").content.decode()

    assert html.count('type="radio"') == 3 * len(EMAIL_KINDS)
    assert html.count("<legend>") == len(EMAIL_KINDS)


def test_membership_approval_is_not_offered_by_email(client_as, member):
    response = client_as(member).get("/notifications/settings/")

    assert Kind.MEMBERSHIP_APPROVED not in response.context["form"].fields
