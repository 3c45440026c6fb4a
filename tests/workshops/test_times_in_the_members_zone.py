"""Workshop times show in the member's own time zone, with the workshop's zone beside it."""

from datetime import UTC, datetime, timedelta

import pytest

from profiles.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def nairobi_member(member):
    Profile.objects.filter(user=member).update(time_zone="Africa/Nairobi")
    return member


def _next_year_july(hour: int) -> datetime:
    return datetime(datetime.now(UTC).year + 1, 7, 14, hour, tzinfo=UTC)


def test_a_member_sees_the_time_in_their_zone_and_the_workshops(
    make_workshop, client_as, nairobi_member
):
    # 08:00 UTC is 11:00 in Nairobi and 10:00 in Paris (summer time).
    workshop = make_workshop(
        starts_at=_next_year_july(8), duration=timedelta(hours=2), time_zone="Europe/Paris"
    )

    page = client_as(nairobi_member).get(workshop.get_absolute_url()).content.decode()

    assert "11 a.m." in page and "Africa/Nairobi" in page
    assert "10 a.m." in page and "Europe/Paris" in page
    assert f'datetime="{_next_year_july(8).isoformat()}"' in page


def test_the_workshops_zone_is_not_repeated_when_it_is_the_members(
    make_workshop, client_as, nairobi_member
):
    workshop = make_workshop(starts_at=_next_year_july(8), time_zone="Africa/Nairobi")

    page = client_as(nairobi_member).get(workshop.get_absolute_url()).content.decode()

    assert "the workshop&#x27;s time zone" not in page


def test_a_member_who_chose_no_zone_sees_utc(make_workshop, client_as, member):
    make_workshop(starts_at=_next_year_july(8), time_zone="Asia/Tokyo")

    page = client_as(member).get("/workshops/").content.decode()

    assert "8 a.m." in page and "(UTC)" in page
    assert "5 p.m." in page and "Asia/Tokyo" in page
