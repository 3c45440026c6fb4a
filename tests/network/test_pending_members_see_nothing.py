"""A pending member sees the waiting page and nothing that is members-only, on every URL."""

import pytest

from tests.network.urls import named_urls

pytestmark = pytest.mark.django_db

# A pending account may manage itself (email, password, sign-out) and see where it stands.
OWN_ACCOUNT = ("account_", "membership-waiting")


def test_the_site_has_named_urls_to_check():
    assert len(named_urls()) > 20


@pytest.mark.parametrize("name", sorted(n for n in named_urls() if not n.startswith(OWN_ACCOUNT)))
def test_a_pending_member_gets_no_more_than_an_anonymous_visitor(
    name, client, client_as, pending_member
):
    path = named_urls()[name]
    anonymous = client_as(None).get(path)

    pending = client_as(pending_member).get(path)

    if pending.status_code == 200:
        assert anonymous.status_code == 200, f"{path} shows a pending member what visitors miss"
    if anonymous.status_code in (301, 302) and "/accounts/login/" in anonymous["Location"]:
        assert pending.status_code in (302, 404), path
        if pending.status_code == 302:
            assert pending["Location"] == "/welcome/waiting/", path


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_accounts_that_are_not_members_are_sent_to_the_waiting_page(client_as, status):
    from tests.factories import UserFactory

    account = UserFactory(status=status)

    response = client_as(account).get("/members/")

    assert response.status_code == 302 and response["Location"] == "/welcome/waiting/"
