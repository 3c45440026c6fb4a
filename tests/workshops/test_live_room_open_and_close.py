"""Participants enter the live room only between a facilitator opening and closing it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chat import permissions as chat_permissions
from chat import services as chat_services
from chat.models import Room
from notifications.models import Kind, Notification
from tests.factories import UserFactory
from workshops import live, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(workshop):
    member = UserFactory()
    services.register(workshop=workshop, member=member)
    return member


def _room(workshop):
    return Room.objects.get(pk=workshop.room_id)


def test_a_new_workshop_has_a_closed_workshop_room(workshop):
    room = _room(workshop)

    assert room.kind == "workshop" and room.is_open is False


def test_participants_cannot_enter_before_a_facilitator_opens_the_room(
    workshop, participant, client_as
):
    room = _room(workshop)

    page = client_as(participant).get(f"/chat/{room.slug}/")

    assert not chat_permissions.can_enter(participant, room)
    assert page.status_code == 403
    with pytest.raises(PermissionDenied):
        chat_services.post_message(room=room, author=participant, body="Hello?", client_id="c1")


def test_participants_enter_once_the_room_is_open(workshop, participant, facilitator, client_as):
    live.open_room(workshop=workshop, by=facilitator)
    room = _room(workshop)

    page = client_as(participant).get(f"/chat/{room.slug}/")
    message, created = chat_services.post_message(
        room=room, author=participant, body="Good morning", client_id="c1"
    )

    assert page.status_code == 200
    assert created and message.body == "Good morning"


def test_participants_are_shut_out_again_when_the_room_closes(
    workshop, participant, facilitator, client_as
):
    live.open_room(workshop=workshop, by=facilitator)
    live.close_room(workshop=workshop, by=facilitator)
    room = _room(workshop)

    page = client_as(participant).get(f"/chat/{room.slug}/")

    assert room.is_open is False
    assert not chat_permissions.can_enter(participant, room)
    assert page.status_code == 403


def test_members_who_do_not_take_part_never_enter(workshop, facilitator, member):
    live.open_room(workshop=workshop, by=facilitator)

    assert not chat_permissions.can_enter(member, _room(workshop))


def test_facilitators_prepare_the_room_before_it_opens(workshop, facilitator):
    assert chat_permissions.can_enter(facilitator, _room(workshop))


def test_the_join_link_appears_only_while_the_room_is_open(
    workshop, participant, facilitator, client_as
):
    client = client_as(participant)
    room_url = f"/chat/{_room(workshop).slug}/"

    before = client.get(workshop.get_absolute_url()).content.decode()
    live.open_room(workshop=workshop, by=facilitator)
    during = client.get(workshop.get_absolute_url()).content.decode()
    live.close_room(workshop=workshop, by=facilitator)
    after = client.get(workshop.get_absolute_url()).content.decode()

    assert room_url not in before
    assert room_url in during
    assert room_url not in after


def test_opening_the_room_tells_each_participant_once(workshop, participant, facilitator):
    live.open_room(workshop=workshop, by=facilitator)
    live.close_room(workshop=workshop, by=facilitator)
    live.open_room(workshop=workshop, by=facilitator)

    told = Notification.objects.filter(kind=Kind.WORKSHOP_ROOM_OPENED)
    assert list(told.values_list("recipient", flat=True)) == [participant.pk]
    assert told.get().url == workshop.get_absolute_url()


def test_only_its_facilitators_open_the_room(workshop, member):
    with pytest.raises(PermissionDenied):
        live.open_room(workshop=workshop, by=member)

    assert _room(workshop).is_open is False


def test_a_cancelled_workshop_cannot_open_its_room(workshop, facilitator):
    services.cancel_workshop(workshop=workshop, by=facilitator)

    with pytest.raises(ValidationError) as refused:
        live.open_room(workshop=workshop, by=facilitator)

    assert refused.value.code == "cancelled"
