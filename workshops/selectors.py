"""Reads of workshops for pages, feeds, the socket and the reminder job; each takes the viewer
where a member is looking."""

from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from profiles.models import MembershipStatus, User
from profiles.permissions import AnyUser, is_member
from workshops.models import (
    Announcement,
    CalendarToken,
    Question,
    QuestionVote,
    Registration,
    Workshop,
)
from workshops.permissions import participants_q, visible_workshops

PAST_PAGE_SIZE = 20
# How far back a calendar feed reaches: calendar apps keep what they already have.
CALENDAR_HISTORY = timedelta(days=180)


def _listed(viewer: AnyUser | None) -> QuerySet[Workshop]:
    queryset = Workshop.objects.select_related("room", "archive_topic").prefetch_related(
        Prefetch("facilitators", queryset=User.objects.order_by("display_name", "username"))
    )
    if is_member(viewer):
        queryset = queryset.annotate(
            viewer_is_registered=Exists(
                Registration.objects.filter(workshop=OuterRef("pk"), member=viewer)
            ),
            viewer_takes_part=Exists(
                Workshop.objects.filter(participants_q(viewer), pk=OuterRef("pk"))
            ),
        )
    return visible_workshops(viewer, queryset)


def list_upcoming(*, viewer: AnyUser | None, now: datetime | None = None) -> list[Workshop]:
    """Workshops not over yet, soonest first (cancelled ones stay listed, marked)."""
    now = now or timezone.now()
    return list(
        _listed(viewer).filter(ends_at__gt=now, ended_at__isnull=True).order_by("starts_at", "id")
    )


def list_past(
    *, viewer: AnyUser | None, now: datetime | None = None, before: tuple[datetime, int] | None
) -> tuple[list[Workshop], tuple[datetime, int] | None]:
    """One page of past workshops, latest first, paged by key (start time, id); returns the
    page and the key of the next one (None at the end)."""
    now = now or timezone.now()
    queryset = _listed(viewer).filter(Q(ends_at__lte=now) | Q(ended_at__isnull=False))
    if before is not None:
        starts_at, pk = before
        queryset = queryset.filter(Q(starts_at__lt=starts_at) | Q(starts_at=starts_at, id__lt=pk))
    rows = list(queryset.order_by("-starts_at", "-id")[: PAST_PAGE_SIZE + 1])
    if len(rows) > PAST_PAGE_SIZE:
        last = rows[PAST_PAGE_SIZE - 1]
        return rows[:PAST_PAGE_SIZE], (last.starts_at, last.pk)
    return rows, None


def get_workshop(*, viewer: AnyUser | None, slug: str) -> Workshop | None:
    return (
        _listed(viewer)
        .select_related("category", "cohort", "archive_topic", "room")
        .filter(slug=slug)
        .first()
    )


def list_pinned_announcements(*, workshop: Workshop) -> list[Announcement]:
    return list(
        workshop.announcements.filter(unpinned_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "id")
    )


def list_questions(*, viewer: AnyUser | None, workshop: Workshop) -> list[Question]:
    """The Q&A list: open questions by votes (then the earliest first), answered ones after.

    Each carries `viewer_voted`.
    """
    queryset = (
        workshop.questions.filter(hidden_at__isnull=True)
        .select_related("author")
        # Open questions lead (NULLS FIRST, the same on every database).
        .order_by(F("answered_at").asc(nulls_first=True), "-vote_count", "created_at", "id")
    )
    if is_member(viewer):
        queryset = queryset.annotate(
            viewer_voted=Exists(QuestionVote.objects.filter(question=OuterRef("pk"), voter=viewer))
        )
    return list(queryset)


def list_voted_question_ids(*, viewer: User, workshop: Workshop) -> list[int]:
    return list(
        QuestionVote.objects.filter(voter=viewer, question__workshop=workshop).values_list(
            "question_id", flat=True
        )
    )


def _participants(workshop: Workshop) -> QuerySet[User]:
    taking_part = Q(workshop_registrations__workshop=workshop) | Q(workshops_facilitated=workshop)
    if workshop.cohort_id:
        taking_part |= Q(cohorts=workshop.cohort_id)
    return User.objects.filter(
        pk__in=User.objects.filter(taking_part).values("pk"),
        status=MembershipStatus.APPROVED,
        is_active=True,
    )


def participant_ids(*, workshop: Workshop) -> set[int]:
    return set(_participants(workshop).values_list("pk", flat=True))


def list_participants_to_notify(*, workshop: Workshop) -> QuerySet[User]:
    return _participants(workshop).select_related("profile").order_by("pk")


def list_registered(*, viewer: AnyUser | None, workshop: Workshop) -> list[Registration]:
    """Who took a seat, for the facilitators' panel."""
    return list(workshop.registrations.select_related("member").order_by("created_at", "id"))


def list_calendar(*, member: User, now: datetime | None = None) -> list[Workshop]:
    """The workshops of a member's calendar feed: those they take part in, recent and coming."""
    now = now or timezone.now()
    return list(
        Workshop.objects.filter(participants_q(member), ends_at__gte=now - CALENDAR_HISTORY)
        .select_related("room")
        .order_by("starts_at", "id")
    )


def get_calendar_token_value(*, member: User) -> str:
    """The member's calendar feed token, or "" before they asked for one."""
    return CalendarToken.objects.filter(member=member).values_list("token", flat=True).first() or ""


def get_member_by_calendar_token(*, token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    row = CalendarToken.objects.select_related("member").filter(token=token).first()
    if row is None or not is_member(row.member):
        return None
    return row.member


def list_due_for_reminder(*, now: datetime, lead: timedelta) -> QuerySet[Workshop]:
    """Workshops starting within `lead` from now that have not started yet."""
    return Workshop.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + lead,
        cancelled_at__isnull=True,
        ended_at__isnull=True,
    ).order_by("starts_at", "id")
