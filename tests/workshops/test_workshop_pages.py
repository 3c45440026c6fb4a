"""/workshops/ lists upcoming and past workshops; /workshops/<slug>/ shows one; both cost a
fixed number of queries however many rows there are."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import FacilitatorFactory, UserFactory
from workshops import live, services

pytestmark = pytest.mark.django_db


def test_upcoming_and_past_workshops_are_listed_apart(make_workshop, client_as, member):
    make_workshop(title="Next week's clinic", starts_in=timedelta(days=7))
    make_workshop(title="Last month's clinic", starts_in=timedelta(days=-30))

    page = client_as(member).get("/workshops/").content.decode()

    upcoming, past = page.split('id="past-title"')
    assert "Next week&#x27;s clinic" in upcoming and "Last month" not in upcoming
    assert "Last month&#x27;s clinic" in past


def test_visitors_are_sent_to_sign_in(client_as, workshop):
    for path in ("/workshops/", workshop.get_absolute_url(), f"/workshops/{workshop.slug}.ics"):
        response = client_as(None).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_workshop_is_not_found(client_as, member):
    assert client_as(member).get("/workshops/no-such-workshop/").status_code == 404


def test_past_workshops_page_by_key(make_workshop, client_as, member, settings):
    from workshops import selectors

    for days in range(1, selectors.PAST_PAGE_SIZE + 4):
        make_workshop(title=f"Past {days:02d}", starts_in=timedelta(days=-days))
    client = client_as(member)

    first = client.get("/workshops/")
    older = client.get("/workshops/", {"before": first.context["next_before"]})

    first_titles = [w.title for w in first.context["past"]]
    older_titles = [w.title for w in older.context["past"]]
    assert first_titles[0] == "Past 01" and len(first_titles) == selectors.PAST_PAGE_SIZE
    assert older_titles == ["Past 21", "Past 22", "Past 23"]
    assert older.context["upcoming"] == []


def test_the_list_costs_the_same_for_many_workshops(
    make_workshop, client_as, member, django_assert_max_num_queries
):
    facilitators = FacilitatorFactory.create_batch(2)
    for index in range(30):
        workshop = make_workshop(
            title=f"Workshop {index}",
            starts_in=timedelta(days=index - 15),
            facilitators=facilitators,
            capacity=20,
        )
        if index > 15:
            services.register(workshop=workshop, member=member)
    client = client_as(member)

    with django_assert_max_num_queries(10):
        response = client.get("/workshops/")

    assert response.status_code == 200
    assert len(response.context["upcoming"]) + len(response.context["past"]) == 30


def test_the_detail_page_costs_the_same_for_many_participants(
    make_workshop, client_as, facilitator, django_assert_max_num_queries
):
    workshop = make_workshop(is_qa_enabled=True, create_private_category=True)
    members = UserFactory.create_batch(40)
    for member in members:
        services.register(workshop=workshop, member=member)
    for index, member in enumerate(members[:10]):
        question, _ = services.ask_question(
            workshop=workshop, author=member, body=f"Question {index}"
        )
        services.vote(question=question, voter=members[-1])
        services.pin_announcement(workshop=workshop, by=facilitator, body=f"Note {index}")
    live.open_room(workshop=workshop, by=facilitator)
    client = client_as(facilitator)

    with django_assert_max_num_queries(20):
        response = client.get(workshop.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["registrations"]) == 40


def test_a_participants_detail_page_costs_the_same(
    make_workshop, client_as, django_assert_max_num_queries
):
    workshop = make_workshop(is_qa_enabled=True)
    members = UserFactory.create_batch(30)
    for member in members:
        services.register(workshop=workshop, member=member)
        services.ask_question(workshop=workshop, author=member, body="Why?")
    client = client_as(members[0])

    with django_assert_max_num_queries(19):
        response = client.get(workshop.get_absolute_url())

    assert response.status_code == 200


def test_registering_and_unregistering_from_the_page(workshop, client_as, member):
    client = client_as(member)

    registered = client.post(f"/workshops/{workshop.slug}/register/", follow=True)
    unregistered = client.post(f"/workshops/{workshop.slug}/unregister/", follow=True)

    assert "You are registered." in registered.content.decode()
    assert "Give my seat back" not in unregistered.content.decode()
    assert not workshop.registrations.exists()


def test_registration_closes_when_the_workshop_is_over(make_workshop, client_as, member):
    workshop = make_workshop(starts_in=timedelta(days=-2))

    client_as(member).post(f"/workshops/{workshop.slug}/register/")

    assert not workshop.registrations.exists()


def test_the_agenda_and_description_are_rendered_safely(make_workshop, client_as, member):
    workshop = make_workshop(
        description="We review **article 32**. <script>alert(1)</script>",
        agenda="- 10:00 Welcome\n- 10:15 Article 32",
    )

    page = client_as(member).get(workshop.get_absolute_url()).content.decode()

    assert "<strong>article 32</strong>" in page
    assert "<script>alert" not in page
    assert "<li>10:15 Article 32</li>" in page


def test_facilitator_controls_are_for_facilitators(workshop, client_as, member, facilitator):
    members_page = client_as(member).get(workshop.get_absolute_url()).content.decode()
    refused = client_as(member).post(f"/workshops/{workshop.slug}/room/", {"action": "open"})
    facilitators_page = client_as(facilitator).get(workshop.get_absolute_url()).content.decode()

    assert "Facilitator controls" not in members_page
    assert refused.status_code == 403
    assert "Facilitator controls" in facilitators_page


def test_a_workshop_that_has_started_is_listed_as_upcoming_until_it_ends(
    make_workshop, client_as, member
):
    make_workshop(title="Running now", starts_at=timezone.now() - timedelta(minutes=30))

    response = client_as(member).get("/workshops/")

    assert [w.title for w in response.context["upcoming"]] == ["Running now"]
