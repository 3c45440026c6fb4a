from datetime import timedelta

import pytest
from django.utils import timezone

from workshops import services


@pytest.fixture
def make_workshop(facilitator):
    """make_workshop(...) → a workshop scheduled through the service (with its closed room);
    by default by `facilitator`, in two days, for two hours."""

    def make(*, by=None, starts_in=timedelta(days=2), duration=timedelta(hours=2), **fields):
        starts_at = fields.pop("starts_at", None) or timezone.now() + starts_in
        fields.setdefault("title", "Country review clinic")
        return services.create_workshop(
            by=by or facilitator,
            starts_at=starts_at,
            ends_at=fields.pop("ends_at", None) or starts_at + duration,
            **fields,
        )

    return make


@pytest.fixture
def workshop(make_workshop):
    return make_workshop()
