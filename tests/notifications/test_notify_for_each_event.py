"""Every kind of event becomes a stored, unread notification for its recipient."""

import pytest

from notifications.models import Kind, Notification
from notifications.services import notify
from profiles.services import approve_member
from tests.factories import PendingUserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", Kind.values)
def test_each_kind_of_event_is_stored_for_the_recipient(kind, member, other_member):
    notify(
        recipient=member, kind=kind, text=f"Something: {kind}", url="/forums/", actor=other_member
    )

    stored = Notification.objects.get(recipient=member)
    assert (stored.kind, stored.text, stored.url) == (kind, f"Something: {kind}", "/forums/")
    assert stored.actor == other_member
    assert stored.read_at is None


def test_an_unknown_kind_is_a_programming_error(member):
    with pytest.raises(ValueError):
        notify(recipient=member, kind="gossip", text="Psst")

    assert not Notification.objects.exists()


def test_approving_a_member_notifies_them(moderator):
    applicant = PendingUserFactory()

    approve_member(member=applicant, moderator=moderator)

    stored = Notification.objects.get(recipient=applicant)
    assert stored.kind == Kind.MEMBERSHIP_APPROVED


def test_nobody_is_notified_of_their_own_action(member):
    notify(recipient=member, kind=Kind.REPLY, text="You replied", actor=member)

    assert not Notification.objects.exists()


def test_an_account_that_is_not_a_member_gets_nothing(pending_member, other_member):
    notify(recipient=pending_member, kind=Kind.MENTION, text="Hi", actor=other_member)

    assert not Notification.objects.exists()


def test_the_same_once_key_notifies_a_member_once(member):
    first = notify(recipient=member, kind=Kind.WORKSHOP_REMINDER, text="Soon", once_key="w1:24h")

    second = notify(recipient=member, kind=Kind.WORKSHOP_REMINDER, text="Soon", once_key="w1:24h")

    assert first is not None and second is None
    assert Notification.objects.filter(recipient=member).count() == 1


def test_a_link_to_another_site_is_not_stored(member, other_member):
    notify(
        recipient=member, kind=Kind.MENTION, text="Hi", url="//evil.example/x", actor=other_member
    )

    assert Notification.objects.get(recipient=member).url == ""
