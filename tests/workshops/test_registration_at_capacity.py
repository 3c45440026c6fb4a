"""Members take seats until the workshop is full; a seat given back can be taken again."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import CohortFactory, UserFactory
from workshops import services
from workshops.models import Registration, Workshop

pytestmark = pytest.mark.django_db


def test_members_register_until_the_last_seat_is_taken(make_workshop):
    workshop = make_workshop(capacity=2)
    first, second, third = UserFactory.create_batch(3)
    services.register(workshop=workshop, member=first)
    services.register(workshop=workshop, member=second)

    with pytest.raises(ValidationError) as refused:
        services.register(workshop=workshop, member=third)

    assert refused.value.code == "full"
    assert set(workshop.registrations.values_list("member", flat=True)) == {first.pk, second.pk}
    assert Workshop.objects.get(pk=workshop.pk).seat_count == 2


def test_a_seat_given_back_can_be_taken_by_someone_else(make_workshop):
    workshop = make_workshop(capacity=1)
    leaving, arriving = UserFactory.create_batch(2)
    services.register(workshop=workshop, member=leaving)

    services.unregister(workshop=workshop, member=leaving)
    services.register(workshop=workshop, member=arriving)

    assert list(workshop.registrations.values_list("member", flat=True)) == [arriving.pk]
    assert Workshop.objects.get(pk=workshop.pk).seat_count == 1


def test_registering_twice_takes_one_seat(make_workshop, member):
    workshop = make_workshop(capacity=5)

    services.register(workshop=workshop, member=member)
    services.register(workshop=workshop, member=member)

    assert Workshop.objects.get(pk=workshop.pk).seat_count == 1


def test_cohort_members_take_part_without_taking_a_seat(make_workshop, member):
    cohort = CohortFactory()
    cohort.members.add(member)
    workshop = make_workshop(capacity=1, cohort=cohort)

    services.register(workshop=workshop, member=UserFactory())

    assert Workshop.objects.get(pk=workshop.pk).seats_left == 0
    assert not Registration.objects.filter(member=member).exists()


def test_the_register_button_says_full_when_no_seat_is_left(make_workshop, client_as, member):
    workshop = make_workshop(capacity=1)
    services.register(workshop=workshop, member=UserFactory())

    response = client_as(member).post(f"/workshops/{workshop.slug}/register/", follow=True)

    assert "This workshop is full." in response.content.decode()
    assert not workshop.registrations.filter(member=member).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_racing_for_the_last_seat_get_one_seat_between_them(make_workshop):
    workshop = make_workshop(capacity=1)
    racers = UserFactory.create_batch(2)
    start = threading.Barrier(len(racers))
    outcomes = []

    def take_seat(member):
        try:
            start.wait(timeout=10)
            services.register(workshop=workshop, member=member)
            outcomes.append("seat")
        except ValidationError as error:
            outcomes.append(error.code)
        except Exception as error:  # shown by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()  # this thread's own connection: give it back now

    threads = [threading.Thread(target=take_seat, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["full", "seat"]
    assert workshop.registrations.count() == 1
    assert Workshop.objects.get(pk=workshop.pk).seat_count == 1
