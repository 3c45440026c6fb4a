"""The data export and account deletion reach what other apps hold about the member."""

import datetime as dt

import pytest
from django.utils import timezone

from chat import services as chat_services
from chat.models import Message, ReadMarker
from notifications.models import EmailPreference, Notification
from notifications.services import notify
from profiles import services
from tests.profiles.test_data_rights import export
from workshops import services as workshop_services
from workshops.models import CalendarToken, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def direct_room(member, other_member):
    return chat_services.open_direct_room(member=member, other=other_member)


@pytest.fixture
def upcoming_workshop(facilitator):
    starts_at = timezone.now() + dt.timedelta(days=3)
    return workshop_services.create_workshop(
        by=facilitator,
        title="Constructive dialogue prep",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )


def test_the_export_holds_chat_messages_notifications_and_workshop_seats(
    client_as, member, other_member, direct_room, upcoming_workshop
):
    chat_services.post_message(room=direct_room, author=member, body="Mine", client_id="a")
    chat_services.post_message(room=direct_room, author=other_member, body="Theirs", client_id="b")
    notify(recipient=member, kind="mention", text="You were mentioned", url="/forums/")
    workshop_services.register(workshop=upcoming_workshop, member=member)

    data = export(client_as, member)

    assert [m["body"] for m in data["chat_messages"]] == ["Mine"]
    assert [n["kind"] for n in data["notifications"]] == ["mention"]
    assert [r["workshop"] for r in data["workshop_registrations"]] == ["Constructive dialogue prep"]


def test_deleting_an_account_erases_notifications_and_seats_but_keeps_messages(
    member, other_member, direct_room, upcoming_workshop
):
    chat_services.post_message(room=direct_room, author=member, body="Stays", client_id="a")
    notify(recipient=member, kind="mention", text="Private notice", url="/forums/")
    EmailPreference.objects.create(member=member, kind="mention", delivery="never")
    workshop_services.register(workshop=upcoming_workshop, member=member)
    CalendarToken.objects.create(member=member)

    services.delete_account(member=member)

    assert not Notification.objects.filter(recipient=member).exists()
    assert not EmailPreference.objects.filter(member=member).exists()
    assert not Registration.objects.filter(member=member).exists()
    assert not CalendarToken.objects.filter(member=member).exists()
    assert not ReadMarker.objects.filter(user=member).exists()
    assert Message.objects.get(author=member).body == "Stays"
