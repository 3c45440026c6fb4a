"""Facilitators schedule and edit workshops with a form; bad input comes back explained."""

from datetime import UTC, date, datetime

import pytest

from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def _data(**overrides):
    year = datetime.now(UTC).year + 1
    data = {
        "title": "Firearms Protocol: reporting obligations",
        "description": "Bring your **questions**.",
        "agenda": "- 09:00 Welcome",
        "time_zone": "America/Bogota",
        "starts_at": f"{year}-05-10T09:00",
        "ends_at": f"{year}-05-10T11:30",
        "capacity": "25",
        "is_registration_open": "on",
    }
    return data | overrides


def test_a_facilitator_schedules_a_workshop_in_its_own_zone(client_as, facilitator):
    response = client_as(facilitator).post("/workshops/new/", _data())

    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == workshop.get_absolute_url()
    # Bogotá is UTC-5 all year.
    assert workshop.starts_at.astimezone(UTC).hour == 14
    assert workshop.capacity == 25 and workshop.time_zone == "America/Bogota"
    assert list(workshop.facilitators.all()) == [facilitator]
    assert workshop.room is not None and not workshop.room.is_open


def test_a_time_the_clocks_skip_is_refused(client_as, facilitator):
    year = datetime.now(UTC).year + 1
    last_sunday_of_march = max(day for day in range(25, 32) if date(year, 3, day).weekday() == 6)
    gap = f"{year}-03-{last_sunday_of_march:02d}T02:30"

    response = client_as(facilitator).post(
        "/workshops/new/",
        _data(time_zone="Europe/Paris", starts_at=gap, ends_at=f"{gap[:11]}05:00"),
    )

    assert response.status_code == 200
    assert "does not exist in this zone" in response.content.decode()
    assert 'value="Firearms Protocol: reporting obligations"' in response.content.decode()
    assert not Workshop.objects.exists()


def test_an_end_before_the_start_is_refused(client_as, facilitator):
    response = client_as(facilitator).post("/workshops/new/", _data(ends_at=_data()["starts_at"]))

    assert "A workshop ends after it starts." in response.content.decode()
    assert not Workshop.objects.exists()


def test_members_who_are_not_facilitators_cannot_schedule(client_as, member):
    assert client_as(member).get("/workshops/new/").status_code == 404
    assert client_as(member).post("/workshops/new/", _data()).status_code == 404
    assert not Workshop.objects.exists()


def test_editing_keeps_the_wall_clock_time_in_the_form(client_as, facilitator):
    client = client_as(facilitator)
    client.post("/workshops/new/", _data())
    workshop = Workshop.objects.get()

    form_page = client.get(f"/workshops/{workshop.slug}/edit/").content.decode()
    client.post(
        f"/workshops/{workshop.slug}/edit/",
        _data(title="Renamed", capacity="", facilitators=[facilitator.pk]),
    )

    workshop.refresh_from_db()
    assert f'value="{_data()["starts_at"]}"' in form_page
    assert workshop.title == "Renamed" and workshop.capacity is None
    assert workshop.starts_at.astimezone(UTC).hour == 14


def test_a_workshop_cannot_be_left_without_facilitators(client_as, facilitator):
    client = client_as(facilitator)
    client.post("/workshops/new/", _data())
    workshop = Workshop.objects.get()

    response = client.post(f"/workshops/{workshop.slug}/edit/", _data(title="Orphan"))

    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert Workshop.objects.get().title != "Orphan"


def test_a_private_category_can_be_made_with_the_workshop(client_as, facilitator):
    client_as(facilitator).post("/workshops/new/", _data(create_private_category="on"))

    workshop = Workshop.objects.select_related("category").get()
    assert workshop.category.access == "private"
    assert workshop.category.name == workshop.title


def test_staff_can_edit_a_workshop_s_private_category_though_it_has_no_cohort(
    client_as, facilitator
):
    client_as(facilitator).post("/workshops/new/", _data(create_private_category="on"))
    category = Workshop.objects.select_related("category").get().category

    category.description = "Notes for the participants."
    category.full_clean()  # what the admin runs before saving; raised before the fix

    assert category.cohort_id is None
