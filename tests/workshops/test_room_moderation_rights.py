"""Only a workshop's own facilitators (and moderators) moderate its live room."""

import pytest

from chat.permissions import can_moderate
from tests.factories import FacilitatorFactory
from workshops import live, services

pytestmark = pytest.mark.django_db


def test_a_facilitator_attending_another_workshop_does_not_moderate_its_room(
    workshop, facilitator, moderator
):
    visiting_facilitator = FacilitatorFactory()
    services.register(workshop=workshop, member=visiting_facilitator)

    live.open_room(workshop=workshop, by=facilitator)

    room = workshop.room
    assert can_moderate(facilitator, room)
    assert can_moderate(moderator, room)
    assert not can_moderate(visiting_facilitator, room)
