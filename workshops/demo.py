"""Demo workshops for `seed_demo`: past ones with their archived transcripts, one live now,
and upcoming ones to register for.

Reproducible from the `rng` passed in and idempotent (each workshop has a fixed address; an
existing one is left alone). Runs after the chat and forum seeding. The demo moderator, also
a facilitator, runs them; the demo member takes part in several.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chat import services as chat_services
from chat.models import Message, Room
from network.markdown import render_markdown_lite
from profiles.models import Cohort, MembershipStatus, User
from workshops import live, services
from workshops.models import Workshop

PLANS = [
    # slug, title, days from now, hours long, zone, capacity, past?
    ("demo-saq-clinic", "Self-assessment questionnaire clinic", -40, 2, "Europe/Vienna", 40),
    ("demo-tip-protocol", "Trafficking in Persons Protocol: victim protection", -12, 2,
     "Africa/Nairobi", 30),
    ("demo-country-review", "Preparing inputs for a country review", -3, 1.5,
     "America/Bogota", None),
    ("demo-live-now", "Open office hours with the SE4U team", 0, 2, "UTC", None),
    ("demo-firearms", "Firearms Protocol: marking and record-keeping", 2, 2, "Europe/Paris", 25),
    ("demo-smuggling", "Smuggling of Migrants Protocol in practice", 9, 2, "Asia/Bangkok", 3),
    ("demo-cybercrime", "Emerging crimes: online markets and evidence", 21, 1.5,
     "America/Mexico_City", 60),
]  # fmt: skip

DESCRIPTION = (
    "A working session for civil society, academia and the private sector on the UNTOC review "
    "mechanism. Bring your **questions** and your experience; the discussion continues in the "
    "forum afterwards."
)
AGENDA = (
    "- Welcome and introductions\n- Presentation by the facilitators\n"
    "- Questions and answers\n- Next steps for joint submissions"
)
MESSAGES = [
    "Good morning everyone, joining from the coalition office.",
    "Could you share the slides after the session?",
    "In our country the focal point has not answered yet: any advice?",
    "We used the **self-assessment checklist** from the last training, very useful.",
    "Is there a deadline for stakeholder inputs to the country review?",
    "Our university can host a national consultation in the spring.",
    "+1 to coordinating with the other NGOs in the region.",
    "The recording link would help colleagues in other time zones.",
    "Thanks for the clear explanation of the review cluster timetable.",
    "Where can we find the constructive dialogue guidance in Spanish?",
]
QUESTIONS = [
    "How can NGOs take part in the country visit?",
    "Will the questionnaire be available in Arabic?",
    "Can academia submit evidence jointly with civil society?",
    "What happens if the government does not share its self-assessment?",
]


def _start(days: float) -> timezone.datetime:
    """14:00 UTC `days` from today; the live one started half an hour ago."""
    now = timezone.now()
    if days == 0:
        return now.replace(second=0, microsecond=0) - timedelta(minutes=30)
    return now.replace(hour=14, minute=0, second=0, microsecond=0) + timedelta(days=days)


@transaction.atomic
def seed_workshops(*, rng: random.Random) -> int:
    """Create the demo workshops that do not exist yet; return how many were made."""
    facilitator = User.objects.filter(username="moderator").first()
    demo_member = User.objects.filter(username="demo").first()
    if facilitator is None:
        return 0
    members = list(
        User.objects.filter(status=MembershipStatus.APPROVED, is_active=True, is_moderator=False)
        .exclude(pk=facilitator.pk)
        .order_by("pk")[:80]
    )
    existing = set(Workshop.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    cohort = Cohort.objects.order_by("pk").first()
    made = 0
    for index, (slug, title, days, hours, zone, capacity) in enumerate(PLANS):
        # Draw for every workshop, new or not, so the same seed gives the same people.
        attendees = rng.sample(members, k=min(len(members), capacity or 12))
        if capacity:
            attendees = attendees[: max(0, capacity - 1)]
        lines = [rng.choice(MESSAGES) for _line in range(24)]
        if slug in existing:
            continue
        starts_at = _start(days)
        workshop = services.create_workshop(
            by=facilitator,
            slug=slug,
            title=title,
            description=DESCRIPTION,
            agenda=AGENDA,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            time_zone=zone,
            capacity=capacity,
            cohort=cohort if index == 1 else None,
            create_private_category=index % 2 == 0,
            is_qa_enabled=days <= 0,
        )
        people = attendees + ([demo_member] if demo_member and index != 5 else [])
        _seat(workshop, people)
        if days <= 0:
            _run(workshop, facilitator=facilitator, people=people, lines=lines, rng=rng)
        if days < 0:
            live.end_workshop(workshop=workshop, by=facilitator)
        made += 1
    return made


def _seat(workshop: Workshop, people: list[User]) -> None:
    """Register people while the workshop is still open to registration (the service refuses
    once it is over, so past workshops get their rows as they had them)."""
    for person in people:
        if workshop.ends_at > timezone.now():
            services.register(workshop=workshop, member=person)
        else:
            workshop.registrations.get_or_create(member=person)
    Workshop.objects.filter(pk=workshop.pk).update(seat_count=workshop.registrations.count())


def _run(
    workshop: Workshop, *, facilitator: User, people: list[User], lines: list[str], rng
) -> None:
    """What happened in the room: messages, questions and votes, an announcement."""
    if workshop.ends_at > timezone.now():
        # Opened quietly: demo data emails nobody (live.open_room would tell everyone).
        chat_services.set_room_open(room=workshop.room, moderator=facilitator, is_open=True)
        Workshop.objects.filter(pk=workshop.pk).update(room_opened_at=workshop.starts_at)
    services.pin_announcement(
        workshop=workshop,
        by=facilitator,
        body="Slides and the recording will be posted in the follow-up category.",
    )
    room = Room.objects.get(pk=workshop.room_id)
    speakers = [facilitator, *people[:8]]
    messages = [
        Message(
            room=room,
            author=speakers[number % len(speakers)],
            body=body,
            body_html=render_markdown_lite(body),
            client_id=f"demo-workshop-{number}",
            created_at=workshop.starts_at + timedelta(minutes=4 * number + 1),
        )
        for number, body in enumerate(lines)
    ]
    Message.objects.bulk_create(messages)
    _relink(room)
    askers = people[:4]
    for asker, body in zip(askers, QUESTIONS, strict=False):
        question, _created = services.ask_question(workshop=workshop, author=asker, body=body)
        for voter in rng.sample(people, k=min(len(people), rng.randint(0, 6))):
            if voter.pk != asker.pk:
                services.vote(question=question, voter=voter)
        if rng.random() < 0.6:
            services.mark_answered(question=question, by=facilitator)


def _relink(room: Room) -> None:
    """Chain `previous_id` through the room and record its last message, as posting does."""
    previous = None
    changed = []
    for message in Message.objects.filter(room=room).order_by("pk").only("pk", "previous_id"):
        if message.previous_id != previous:
            message.previous_id = previous
            changed.append(message)
        previous = message.pk
    Message.objects.bulk_update(changed, ["previous_id"])
    Room.objects.filter(pk=room.pk).update(last_message_id=previous)
