"""What members watch and how far they have read: subscriptions, read positions, visits."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from forums import permissions
from forums.models import Category, ForumVisit, ReadState, Subscription, Topic
from profiles.models import User

# A gap this long between two forum page views starts a new visit.
VISIT_GAP = timedelta(minutes=30)


@transaction.atomic
def set_watching(
    *, member: User, watching: bool, topic: Topic | None = None, category: Category | None = None
) -> bool:
    """Watch (or stop watching) a topic for replies or a category for new topics."""
    target_category = topic.category if topic is not None else category
    if target_category is None or not permissions.can_watch(member, target_category):
        raise PermissionDenied
    if topic is not None and not permissions.can_see_topic(member, topic):
        raise PermissionDenied
    lookup = {"topic": topic} if topic is not None else {"category": category}
    if watching:
        Subscription.objects.get_or_create(user=member, **lookup)
    else:
        Subscription.objects.filter(user=member, **lookup).delete()
    return watching


def mark_read(*, member: User, topic: Topic, number: int, known: int | None = None) -> None:
    """Record that `member` has read `topic` up to post `number`.

    `known` is the stored position when the caller read it with the topic (None: no row
    yet): a page read before costs no query, any other one a single UPDATE or upsert.
    """
    if not member.is_authenticated or (known is not None and known >= number):
        return
    now = timezone.now()
    if known is not None:
        ReadState.objects.filter(user=member, topic=topic, last_read_number__lt=number).update(
            last_read_number=number, updated_at=now
        )
        return
    ReadState.objects.bulk_create(
        [ReadState(user=member, topic=topic, last_read_number=number, updated_at=now)],
        update_conflicts=True,
        unique_fields=["user", "topic"],
        update_fields=["last_read_number", "updated_at"],
    )


def record_visit(*, member: User) -> timezone.datetime | None:
    """Note a forum page view; return the cut-off for "new since your last visit".

    Page views less than VISIT_GAP apart are one visit, so the cut-off stays put while the
    member reads, and moves on when they come back later.
    """
    now = timezone.now()
    visit = ForumVisit.objects.filter(user=member).first()
    if visit is None:
        ForumVisit.objects.bulk_create(
            [ForumVisit(user=member, last_seen_at=now)], ignore_conflicts=True
        )
        return None
    if now - visit.last_seen_at > VISIT_GAP:
        visit.previous_visit_at = visit.last_seen_at
        visit.last_seen_at = now
        visit.save(update_fields=["previous_visit_at", "last_seen_at"])
    elif now - visit.last_seen_at > timedelta(minutes=1):
        # Refresh at most once a minute: reading pages should not write on every click.
        ForumVisit.objects.filter(pk=visit.pk).update(last_seen_at=now)
    return visit.previous_visit_at
