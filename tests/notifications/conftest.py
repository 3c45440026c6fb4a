import pytest

from notifications.models import Delivery, EmailPreference


@pytest.fixture
def prefer():
    """prefer(member, kind, delivery): the member's email setting for one kind."""

    def choose(member, kind: str, delivery: str) -> None:
        EmailPreference.objects.update_or_create(
            member=member, kind=kind, defaults={"delivery": Delivery(delivery)}
        )

    return choose
