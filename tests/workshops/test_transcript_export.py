"""Ending a workshop writes its transcript into a forum topic in the workshop's category."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from chat import services as chat_services
from chat.models import Room
from forums import permissions as forum_permissions
from forums.models import Access, Category, Post
from notifications.models import Kind, Notification
from tests.factories import UserFactory
from workshops import live, services
from workshops.models import Workshop
from workshops.transcript import plain

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(make_workshop, facilitator):
    """A workshop with a private category, two participants, its room open."""
    workshop = make_workshop(create_private_category=True, is_qa_enabled=True)
    participants = UserFactory.create_batch(2)
    for participant in participants:
        services.register(workshop=workshop, member=participant)
    live.open_room(workshop=workshop, by=facilitator)
    return Workshop.objects.get(pk=workshop.pk), participants


def _say(workshop, author, body, client_id):
    room = Room.objects.get(pk=workshop.room_id)
    return chat_services.post_message(room=room, author=author, body=body, client_id=client_id)[0]


def _archive_text(topic):
    return "\n".join(topic.posts.order_by("number").values_list("body", flat=True))


def test_the_transcript_holds_every_message_in_order(running, facilitator):
    workshop, (amina, carlos) = running
    said = [
        (amina, "Good morning from Nairobi"),
        (carlos, "Hola from Bogotá"),
        (facilitator, "Welcome! We start with article 32."),
        (amina, "Line one\nLine two of the same message"),
        (carlos, "Thanks **all**"),
    ]
    for number, (author, body) in enumerate(said):
        _say(workshop, author, body, f"m{number}")

    topic = live.end_workshop(workshop=workshop, by=facilitator)

    text = _archive_text(topic)
    positions = [text.index(f"> {body.splitlines()[0]}") for _author, body in said]
    assert positions == sorted(positions)
    assert "> Line two of the same message" in text
    assert f"**{plain(amina.name)}**" in text
    assert topic.category == workshop.category


def test_a_long_transcript_continues_over_several_posts_and_loses_nothing(
    running, facilitator, settings
):
    settings.CHAT_RATE_BURST = 10_000
    workshop, (amina, _carlos) = running
    bodies = [f"Message number {index:04d} " + "x" * 3500 for index in range(20)]
    for index, body in enumerate(bodies):
        _say(workshop, amina, body, f"long{index}")

    topic = live.end_workshop(workshop=workshop, by=facilitator)

    posts = list(topic.posts.order_by("number"))
    assert len(posts) > 1
    text = _archive_text(topic)
    numbers = [int(found) for found in re.findall(r"Message number (\d{4})", text)]
    assert numbers == list(range(20))


def test_answered_questions_and_announcements_are_in_the_archive(running, facilitator):
    workshop, (amina, carlos) = running
    answered, _ = services.ask_question(workshop=workshop, author=amina, body="Where is the SAQ?")
    services.ask_question(workshop=workshop, author=carlos, body="Never answered")
    services.vote(question=answered, voter=carlos)
    services.mark_answered(question=answered, by=facilitator)
    services.pin_announcement(workshop=workshop, by=facilitator, body="Break at 15:00 CET")

    topic = live.end_workshop(workshop=workshop, by=facilitator)

    text = _archive_text(topic)
    assert "> Where is the SAQ?" in text
    assert "1 votes, answered" in text
    assert "Never answered" not in text
    assert "> Break at 15:00 CET" in text


def test_the_workshop_page_links_to_its_archive(running, facilitator, client_as):
    workshop, (amina, _carlos) = running

    topic = live.end_workshop(workshop=workshop, by=facilitator)

    page = client_as(amina).get(workshop.get_absolute_url()).content.decode()
    assert topic.get_absolute_url() in page


def test_ending_closes_the_room_and_ending_twice_keeps_one_archive(running, facilitator):
    workshop, _participants = running

    first = live.end_workshop(workshop=workshop, by=facilitator)
    second = live.end_workshop(workshop=workshop, by=facilitator)

    assert first == second
    assert Post.objects.filter(topic__category=workshop.category).count() == 1
    assert Room.objects.get(pk=workshop.room_id).is_open is False


def test_mentions_in_the_transcript_notify_nobody_again(running, facilitator):
    workshop, (amina, carlos) = running
    _say(workshop, amina, f"@{carlos.username} can you share the link?", "m1")
    before = Notification.objects.filter(recipient=carlos, kind=Kind.MENTION).count()

    topic = live.end_workshop(workshop=workshop, by=facilitator)

    assert Notification.objects.filter(recipient=carlos, kind=Kind.MENTION).count() == before
    assert f"@{carlos.username} can you share the link?" in topic.posts.get().html


def test_the_private_category_is_read_by_participants_only(running, facilitator, member):
    workshop, (amina, _carlos) = running
    category = Category.objects.get(pk=workshop.category_id)

    assert category.access == Access.PRIVATE
    assert forum_permissions.can_read(amina, category)
    assert forum_permissions.can_read(facilitator, category)
    assert not forum_permissions.can_read(member, category)
    assert category in forum_permissions.visible_categories(amina, Category.objects.all())
    assert category not in forum_permissions.visible_categories(member, Category.objects.all())


def test_a_workshop_without_a_category_archives_into_the_default_one(make_workshop, facilitator):
    workshop = make_workshop()

    topic = live.end_workshop(workshop=workshop, by=facilitator)

    assert topic.category.slug == live.DEFAULT_ARCHIVE_CATEGORY


def test_only_its_facilitators_end_a_workshop(running, member):
    workshop, (amina, _carlos) = running

    for outsider in (member, amina):
        with pytest.raises(PermissionDenied):
            live.end_workshop(workshop=workshop, by=outsider)

    assert Workshop.objects.get(pk=workshop.pk).ended_at is None
