"""Facilitators pin announcements: shown on the workshop page, said in the open live room."""

import pytest
from django.core.exceptions import PermissionDenied

from chat.models import Message
from workshops import live, services

pytestmark = pytest.mark.django_db


def test_a_pinned_announcement_shows_on_the_page_until_unpinned(
    workshop, facilitator, client_as, member
):
    announcement = services.pin_announcement(
        workshop=workshop, by=facilitator, body="We start **five minutes** late"
    )
    client = client_as(member)

    pinned = client.get(workshop.get_absolute_url()).content.decode()
    services.unpin_announcement(announcement=announcement, by=facilitator)
    unpinned = client.get(workshop.get_absolute_url()).content.decode()

    assert "We start <strong>five minutes</strong> late" in pinned
    assert "five minutes" not in unpinned


def test_an_announcement_is_said_in_the_live_room_while_it_is_open(workshop, facilitator):
    services.pin_announcement(workshop=workshop, by=facilitator, body="Before the start")
    live.open_room(workshop=workshop, by=facilitator)

    services.pin_announcement(workshop=workshop, by=facilitator, body="Break at 15:00")

    bodies = list(Message.objects.filter(room=workshop.room).values_list("body", flat=True))
    assert bodies == ["📌 Break at 15:00"]


def test_only_facilitators_pin(workshop, member):
    with pytest.raises(PermissionDenied):
        services.pin_announcement(workshop=workshop, by=member, body="Free pizza")

    assert not workshop.announcements.exists()
