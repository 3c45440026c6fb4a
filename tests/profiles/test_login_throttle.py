"""Brute force: 5 failures for an account in 30 minutes lock it for 15, whatever the address."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts"


def attempt(client, email: str, password: str, address: str = "198.51.100.7"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_from_five_addresses_lock_the_account_for_fifteen_minutes(client, member):
    start = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for n in range(5):  # 09:00, 09:05, … 09:20: five failures within 30 minutes
            if n:
                traveller.shift(dt.timedelta(minutes=5))
            attempt(client, member.email, "wrong password", address=f"203.0.113.{n}")

        locked = attempt(client, member.email, TEST_PASSWORD, address="192.0.2.99")
        assert LOCKED in locked.content.decode()
        assert not is_signed_in(client)

        traveller.shift(dt.timedelta(minutes=14))  # 09:34, 14 minutes after the lock
        assert LOCKED in attempt(client, member.email, TEST_PASSWORD).content.decode()
        assert not is_signed_in(client)

        traveller.shift(dt.timedelta(minutes=2))  # 09:36, 16 minutes after the lock
        assert attempt(client, member.email, TEST_PASSWORD).status_code == 302
        assert is_signed_in(client)


def test_four_failures_do_not_lock(client, member):
    for _ in range(4):
        attempt(client, member.email, "wrong password")

    assert attempt(client, member.email, TEST_PASSWORD).status_code == 302


def test_an_unknown_email_gets_the_same_answers_as_a_known_one(client, member):
    known = [attempt(client, member.email, "wrong").content for _ in range(6)]
    unknown = [attempt(client, "nobody@example.org", "wrong").content for _ in range(6)]

    def normalise(html: bytes) -> str:
        text = html.decode()
        text = text.replace(member.email, "EMAIL").replace("nobody@example.org", "EMAIL")
        import re

        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert [normalise(h) for h in known] == [normalise(h) for h in unknown]
    assert LOCKED in known[-1].decode()


def test_one_address_is_capped_across_accounts(client, member, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 10
    for n in range(10):
        attempt(client, f"guess{n}@example.org", "wrong", address="198.51.100.50")

    blocked = attempt(client, member.email, TEST_PASSWORD, address="198.51.100.50")
    allowed = attempt(client, member.email, TEST_PASSWORD, address="198.51.100.51")

    assert LOCKED in blocked.content.decode()
    assert allowed.status_code == 302
