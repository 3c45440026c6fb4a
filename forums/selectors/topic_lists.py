"""Lists of topics: a category's, and what is new since the viewer's last visit.

Both page by key (a cursor of pin, last activity and id), never by OFFSET.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import OuterRef, Q, Subquery

from forums.models import Category, ReadState, State, Topic, page_of
from forums.permissions import visible_categories
from profiles.permissions import AnyUser, is_member, is_moderator

TOPICS_PER_PAGE = 30


@dataclass
class TopicList:
    topics: list[Topic]
    next_cursor: str | None


def _cursor_of(topic: Topic, *, with_pin: bool = True) -> str:
    micros = int(topic.last_post_at.timestamp() * 1_000_000)
    return f"{int(topic.is_pinned and with_pin)}-{micros}-{topic.id}"


def _parse_cursor(cursor: str) -> tuple[bool, datetime, int] | None:
    try:
        pinned, micros, topic_id = (int(part) for part in cursor.split("-"))
        moment = datetime.fromtimestamp(micros / 1_000_000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return bool(pinned), moment, topic_id


def _annotate_reader(queryset, viewer: AnyUser | None):
    if not is_member(viewer):
        return queryset
    return queryset.annotate(
        last_read=Subquery(
            ReadState.objects.filter(user=viewer, topic=OuterRef("pk")).values("last_read_number")[
                :1
            ]
        )
    )


def _mark_unread(topics: list[Topic], since: datetime | None) -> None:
    for topic in topics:
        last_read = getattr(topic, "last_read", None)
        topic.unread_count = 0 if last_read is None else max(0, topic.last_number - last_read)
        topic.first_unread_page = page_of((last_read or 0) + 1)
        topic.is_new = (last_read is None and since is not None and topic.last_post_at > since) or (
            last_read is not None and topic.unread_count > 0
        )


def list_topics(
    *, viewer: AnyUser | None, category: Category, cursor: str = "", since: datetime | None = None
) -> TopicList:
    """One page of a category's topics: pinned first, then by last activity, paged by key.

    Three queries (topics, their tags, and nothing per topic), whatever the page.
    """
    topics = Topic.objects.filter(category=category)
    if is_moderator(viewer):
        topics = topics.exclude(state=State.DELETED)
    else:
        topics = topics.filter(state=State.VISIBLE)
    position = _parse_cursor(cursor) if cursor else None
    if position is not None:
        pinned, moment, topic_id = position
        topics = topics.filter(
            Q(is_pinned__lt=pinned)
            | Q(is_pinned=pinned, last_post_at__lt=moment)
            | Q(is_pinned=pinned, last_post_at=moment, id__lt=topic_id)
        )
    topics = (
        _annotate_reader(topics, viewer)
        .select_related("author", "last_poster")
        .prefetch_related("tags")
        .order_by("-is_pinned", "-last_post_at", "-id")
    )
    rows = list(topics[: TOPICS_PER_PAGE + 1])
    has_more = len(rows) > TOPICS_PER_PAGE
    rows = rows[:TOPICS_PER_PAGE]
    _mark_unread(rows, since)
    return TopicList(topics=rows, next_cursor=_cursor_of(rows[-1]) if has_more else None)


def list_new_topics(
    *, viewer: AnyUser | None, since: datetime | None, cursor: str = ""
) -> TopicList:
    """Topics with activity since the viewer's last visit, across what they may read."""
    topics = Topic.objects.filter(
        category__in=visible_categories(viewer, Category.objects.all()), state=State.VISIBLE
    )
    if since is not None:
        topics = topics.filter(last_post_at__gt=since)
    position = _parse_cursor(cursor) if cursor else None
    if position is not None:
        _pinned, moment, topic_id = position
        topics = topics.filter(Q(last_post_at__lt=moment) | Q(last_post_at=moment, id__lt=topic_id))
    topics = (
        _annotate_reader(topics, viewer)
        .select_related("author", "last_poster", "category")
        .prefetch_related("tags")
        .order_by("-last_post_at", "-id")
    )
    rows = list(topics[: TOPICS_PER_PAGE + 1])
    has_more = len(rows) > TOPICS_PER_PAGE
    rows = rows[:TOPICS_PER_PAGE]
    _mark_unread(rows, since)
    cursor = _cursor_of(rows[-1], with_pin=False) if has_more else None
    return TopicList(topics=rows, next_cursor=cursor)
