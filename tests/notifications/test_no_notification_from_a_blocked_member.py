"""A block, either way, silences notifications between the two members."""

import pytest
from django.core import mail

from notifications.models import Kind, Notification
from notifications.services import notify
from profiles.models import Block

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", Kind.values)
def test_a_member_hears_nothing_from_someone_they_blocked(
    kind, member, other_member, django_capture_on_commit_callbacks
):
    Block.objects.create(blocker=member, blocked=other_member)

    with django_capture_on_commit_callbacks(execute=True):
        result = notify(recipient=member, kind=kind, text="Hello", actor=other_member)

    assert result is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_blocked_member_hears_nothing_from_the_member_who_blocked_them(member, other_member):
    Block.objects.create(blocker=other_member, blocked=member)

    notify(recipient=member, kind=Kind.MENTION, text="Hello", actor=other_member)

    assert not Notification.objects.exists()


def test_a_block_between_others_changes_nothing(member, other_member):
    from tests.factories import UserFactory

    Block.objects.create(blocker=member, blocked=UserFactory())

    notify(recipient=member, kind=Kind.MENTION, text="Hello", actor=other_member)

    assert Notification.objects.filter(recipient=member).count() == 1
