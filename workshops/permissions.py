"""Who may see, join, run and take part in workshops: the workshops' only access rules.

- every member sees the list of workshops and their pages (the programme is open to all
  alumni); visitors and pending accounts see none;
- participants are the members registered, the members of the cohort taking part, and the
  facilitators; they enter the live room only while a facilitator has it open;
- a workshop is run (edited, its room opened, closed, moderated, ended) by its facilitators
  and by moderators;
- a private forum category of a workshop is read by its participants (forums asks
  `readable_private_categories`).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from profiles.models import User
from profiles.permissions import AnyUser, is_facilitator, is_member, is_moderator
from workshops.models import Registration, Workshop


def can_see(user: AnyUser | None, workshop: Workshop) -> bool:
    return is_member(user)


def visible_workshops(viewer: AnyUser | None, queryset: QuerySet[Workshop]) -> QuerySet[Workshop]:
    if not is_member(viewer):
        return queryset.none()
    return queryset


def can_create(user: AnyUser | None) -> bool:
    return is_facilitator(user)


def is_facilitator_of(user: AnyUser | None, workshop: Workshop) -> bool:
    return is_member(user) and workshop.facilitators.filter(pk=user.pk).exists()


def can_manage(user: AnyUser | None, workshop: Workshop) -> bool:
    """Edit, open and close the room, slow mode, mute, pin, answer questions, end."""
    return is_moderator(user) or is_facilitator_of(user, workshop)


def is_registered(user: AnyUser | None, workshop: Workshop) -> bool:
    return is_member(user) and workshop.registrations.filter(member=user).exists()


def is_cohort_member(user: AnyUser | None, workshop: Workshop) -> bool:
    return (
        is_member(user)
        and workshop.cohort_id is not None
        and User.cohorts.through.objects.filter(user=user, cohort_id=workshop.cohort_id).exists()
    )


def is_participant(user: AnyUser | None, workshop: Workshop) -> bool:
    """Registered, in the cohort taking part, or facilitating."""
    return (
        is_registered(user, workshop)
        or is_cohort_member(user, workshop)
        or is_facilitator_of(user, workshop)
    )


def participants_q(user: User) -> Q:
    """Workshops in which `user` takes part, as a filter on Workshop."""
    return (
        Q(Exists(Registration.objects.filter(workshop=OuterRef("pk"), member=user)))
        | Q(cohort__in=User.cohorts.through.objects.filter(user=user).values("cohort_id"))
        | Q(
            Exists(Workshop.facilitators.through.objects.filter(workshop=OuterRef("pk"), user=user))
        )
    )


def can_register(user: AnyUser | None, workshop: Workshop) -> bool:
    """Take a seat (capacity is checked by the service, under a lock)."""
    return (
        is_member(user)
        and workshop.is_registration_open
        and not workshop.is_cancelled
        and not workshop.has_ended
        and not is_registered(user, workshop)
        and not is_cohort_member(user, workshop)
        and not is_facilitator_of(user, workshop)
    )


def can_unregister(user: AnyUser | None, workshop: Workshop) -> bool:
    return is_registered(user, workshop) and not workshop.has_ended


def can_enter_room(user: AnyUser | None, workshop: Workshop, *, room_is_open: bool) -> bool:
    """The live room: its managers at any time (to prepare it and to review it), its
    participants only while it is open."""
    if can_manage(user, workshop):
        return True
    return (
        room_is_open
        and workshop.ended_at is None
        and not workshop.is_cancelled
        and is_participant(user, workshop)
    )


def enterable_rooms_q(viewer: User) -> Q:
    """The workshop rooms `viewer` may enter, as a filter on chat.Room: in step with
    can_enter_room."""
    if is_moderator(viewer):
        return Q(workshop__isnull=False)
    managed = Q(workshop__facilitators=viewer)
    taking_part = Q(
        workshop__in=Workshop.objects.filter(
            participants_q(viewer), cancelled_at__isnull=True, ended_at__isnull=True
        ).values("pk"),
        is_open=True,
    )
    return managed | taking_part


def can_use_qa(user: AnyUser | None, workshop: Workshop) -> bool:
    """See the questions: participants and managers, while Q&A mode is on or once asked."""
    return can_manage(user, workshop) or is_participant(user, workshop)


def can_ask(user: AnyUser | None, workshop: Workshop) -> bool:
    return (
        workshop.is_qa_enabled
        and workshop.ended_at is None
        and not workshop.is_cancelled
        and is_participant(user, workshop)
    )


def can_vote(user: AnyUser | None, workshop: Workshop) -> bool:
    return can_ask(user, workshop)


def can_answer(user: AnyUser | None, workshop: Workshop) -> bool:
    """Mark answered, or withdraw a question from the list."""
    return can_manage(user, workshop)


def readable_private_categories(user: User) -> QuerySet:
    """Ids of the forum categories of workshops `user` takes part in (forums.permissions)."""
    return Workshop.objects.filter(participants_q(user), category__isnull=False).values(
        "category_id"
    )
