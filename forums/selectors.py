"""Reads of the forums; each takes the viewer and runs a fixed number of queries.

A topic page is `number BETWEEN a AND b` over an index, so its last page costs what its
first does. What does not depend on the reader (each post's rendered block) is cached under
the topic's `revision`, which every change to the topic bumps; the reader's own state
(reactions, what is new, which actions they may take) is added per request.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from forums.models import (
    CATEGORIES_GENERATION_KEY,
    POSTS_PER_PAGE,
    REACTION_SYMBOLS,
    Category,
    ModerationLogEntry,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    ReadState,
    Report,
    State,
    Subscription,
    Topic,
    page_of,
    topic_cache_key,
)
from forums.permissions import TopicRights, topic_rights, visible_categories
from profiles.permissions import AnyUser, is_member, is_moderator

TOPICS_PER_PAGE = 30
PAGE_CACHE_SECONDS = 24 * 3600


# Categories ------------------------------------------------------------------------------


def list_categories(*, viewer: AnyUser | None, since: datetime | None = None) -> list[Category]:
    """Top-level categories the viewer may read, each with `.subcategories` and `.new_count`
    (topics active since `since`). Two queries at most, whatever the numbers."""
    categories = list(
        visible_categories(viewer, Category.objects.all()).select_related(
            "last_topic", "last_topic__last_poster"
        )
    )
    new_counts = {}
    if since is not None:
        new_counts = dict(
            Topic.objects.filter(
                category_id__in=[c.id for c in categories],
                state=State.VISIBLE,
                last_post_at__gt=since,
            )
            .values("category_id")
            .annotate(n=Count("id"))
            .values_list("category_id", "n")
        )
    by_id = {category.id: category for category in categories}
    roots = []
    for category in categories:
        category.subcategories = []
        category.new_count = new_counts.get(category.id, 0)
    for category in categories:
        parent = by_id.get(category.parent_id)
        category.is_child = parent is not None
        (parent.subcategories if parent else roots).append(category)
    return roots


def get_category(*, viewer: AnyUser | None, slug: str) -> Category | None:
    category = (
        visible_categories(viewer, Category.objects.all())
        .select_related("parent")
        .filter(slug=slug)
        .first()
    )
    return category


def moveable_categories(*, viewer: AnyUser | None) -> list[Category]:
    return list(visible_categories(viewer, Category.objects.all()))


# Topic lists -----------------------------------------------------------------------------


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


# A topic and its pages -------------------------------------------------------------------


TOPIC_CACHE_SECONDS = 300


def _load_topic(topic_id: int) -> Topic | None:
    """The topic row with its category, summary and tags (`.tag_list`), from the cache when
    neither the topic nor any category changed since it was stored (no query then)."""
    key = topic_cache_key(topic_id)
    found = cache.get_many([key, CATEGORIES_GENERATION_KEY])
    generation = found.get(CATEGORIES_GENERATION_KEY, 0)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    topic = (
        Topic.objects.select_related("category", "summary", "summary__author", "summary__edited_by")
        .filter(pk=topic_id)
        .first()
    )
    if topic is None:
        return None
    topic.tag_list = list(topic.tags.all())
    cache.set(key, (generation, topic), TOPIC_CACHE_SECONDS)
    return topic


def _reader_state(viewer, topic: Topic, page: int | None) -> None:
    """Set `.last_read` (None: never opened), `.is_watching` and, for a page, `.my_reactions`
    ({(post id, kind)}) on `topic`: one query for all three."""
    sql = (
        f"SELECT 1, last_read_number, '' FROM {ReadState._meta.db_table}"
        " WHERE user_id = %s AND topic_id = %s"
        f" UNION ALL SELECT 2, 0, '' FROM {Subscription._meta.db_table}"
        " WHERE user_id = %s AND topic_id = %s"
    )
    params = [viewer.pk, topic.pk, viewer.pk, topic.pk]
    if page is not None:
        first = (page - 1) * POSTS_PER_PAGE + 1
        sql += (
            f" UNION ALL SELECT 3, r.post_id, r.kind FROM {Reaction._meta.db_table} r"
            f" INNER JOIN {Post._meta.db_table} p ON p.id = r.post_id"
            " WHERE r.user_id = %s AND p.topic_id = %s AND p.number BETWEEN %s AND %s"
        )
        params += [viewer.pk, topic.pk, first, first + POSTS_PER_PAGE - 1]
    topic.last_read, topic.is_watching, mine = None, False, set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for what, number, kind in cursor.fetchall():
            if what == 1:
                topic.last_read = number
            elif what == 2:
                topic.is_watching = True
            else:
                mine.add((number, kind))
    if page is not None:
        topic.my_reactions = mine


def get_topic(*, viewer: AnyUser | None, topic_id: int, page: int | None = None) -> Topic | None:
    """The topic if the viewer may see it, with `.rights`, `.tag_list`, and for members
    `.last_read` (None: never opened) and `.is_watching` (and with `page`, `.my_reactions`).

    The topic row is cached; a member's own state is one query (plus one in a private
    category)."""
    topic = _load_topic(topic_id)
    if topic is None:
        return None
    topic.rights = topic_rights(viewer, topic)
    if not topic.rights.see:
        return None
    if is_member(viewer):
        _reader_state(viewer, topic, page)
    return topic


@dataclass
class PostBlock:
    """What every reader sees of a post: cached, so it must not depend on the reader."""

    id: int
    number: int
    author_id: int
    state: str
    reaction_counts: dict
    html: SafeString


@dataclass
class ReactionButton:
    kind: str
    symbol: str
    label: str
    count: int
    pressed: bool


@dataclass
class PostRow:
    block: PostBlock
    is_new: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_react: bool = False
    can_report: bool = False
    reactions: list[ReactionButton] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.block.id

    @property
    def number(self) -> int:
        return self.block.number


def page_key(topic: Topic, page: int, variant: str) -> str:
    """The cache key of something shown on page `page` of `topic` to a class of readers."""
    zone = timezone.get_current_timezone_name()
    return f"forums:page:{topic.id}:{topic.revision}:{page}:{get_language()}:{zone}:{variant}"


def cached_fragment(key: str, render: Callable[[], str]) -> SafeString:
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own rendered template


def _render_blocks(topic: Topic, page: int, moderator_view: bool) -> list[PostBlock]:
    first = (page - 1) * POSTS_PER_PAGE + 1
    posts = (
        Post.objects.filter(topic=topic, number__range=(first, first + POSTS_PER_PAGE - 1))
        .select_related("author", "edited_by")
        .order_by("number")
    )
    return [
        PostBlock(
            id=post.id,
            number=post.number,
            author_id=post.author_id,
            state=post.state,
            reaction_counts=post.reaction_counts,
            html=mark_safe(  # noqa: S308 - our template's output, post HTML sanitised at save
                render_to_string(
                    "forums/partials/post_block.html",
                    {"post": post, "topic": topic, "moderator_view": moderator_view},
                )
            ),
        )
        for post in posts
    ]


def page_blocks(*, topic: Topic, page: int, moderator_view: bool) -> list[PostBlock]:
    """The reader-independent blocks of page `page` (one query on a cache miss, none on a hit)."""
    key = page_key(topic, page, "moderator" if moderator_view else "reader")
    blocks = cache.get(key)
    if blocks is None:
        blocks = _render_blocks(topic, page, moderator_view)
        cache.set(key, blocks, PAGE_CACHE_SECONDS)
    return blocks


def summary_block(*, topic: Topic) -> SafeString | None:
    """The topic's summary, rendered (selected with the topic: no query)."""
    if topic.summary is None or topic.summary.state != State.VISIBLE:
        return None
    return mark_safe(  # noqa: S308 - our template; the summary HTML was sanitised at save
        render_to_string("forums/partials/summary.html", {"summary": topic.summary, "topic": topic})
    )


def topic_page(*, viewer: AnyUser | None, topic: Topic, page: int) -> list[PostRow]:
    """The posts of one page as the viewer sees them (one query for a member's own reactions,
    plus one on a cache miss)."""
    rights: TopicRights = topic.rights
    blocks = page_blocks(topic=topic, page=page, moderator_view=rights.moderate)
    mine: set[tuple[int, str]] = getattr(topic, "my_reactions", set())
    if rights.is_member and blocks and not hasattr(topic, "my_reactions"):
        mine = set(
            Reaction.objects.filter(user=viewer, post_id__in=[b.id for b in blocks]).values_list(
                "post_id", "kind"
            )
        )
    last_read = getattr(topic, "last_read", None)
    kinds = [(kind, REACTION_SYMBOLS[kind], str(label)) for kind, label in ReactionKind.choices]
    topic_open = topic.state == State.VISIBLE
    rows = []
    for block in blocks:
        # The block carries what the rights look at (number, author, state): no Post needed.
        visible = block.state == State.VISIBLE
        row = PostRow(
            block=block,
            is_new=rights.is_member and last_read is not None and block.number > last_read,
            can_edit=rights.can_edit(block),
            can_delete=visible and rights.can_delete(block),
            can_react=topic_open and rights.can_react(block),
            can_report=visible and rights.can_report(block),
        )
        counts = block.reaction_counts
        if visible and (rights.is_member or counts):
            # Members get every button; others only the reactions given so far.
            row.reactions = [
                ReactionButton(
                    kind=kind,
                    symbol=symbol,
                    label=label,
                    count=counts.get(kind, 0),
                    pressed=(block.id, kind) in mine,
                )
                for kind, symbol, label in kinds
                if rights.is_member or counts.get(kind)
            ]
        rows.append(row)
    return rows


def get_post(*, viewer: AnyUser | None, post_id: int) -> Post | None:
    """A post whose topic the viewer may see, with `.rights` (its content may still be hidden:
    check `rights.can_see_content`)."""
    post = (
        Post.objects.select_related("topic__category", "topic__summary", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        return None
    post.rights = topic_rights(viewer, post.topic)
    post.topic.rights = post.rights
    if not post.rights.see:
        return None
    return post


def list_revisions(*, post: Post) -> list[PostRevision]:
    return list(post.revisions.select_related("replaced_by"))


def list_topic_posts_for_split(*, topic: Topic, page: int) -> list[Post]:
    first = (page - 1) * POSTS_PER_PAGE + 1
    return list(
        Post.objects.filter(topic=topic, number__range=(first, first + POSTS_PER_PAGE - 1))
        .select_related("author")
        .order_by("number")
    )


# Moderation ------------------------------------------------------------------------------


def list_open_reports(*, viewer: AnyUser | None) -> list[Post]:
    """Reported posts with open reports, oldest report first, each with `.open_reports`."""
    if not is_moderator(viewer):
        return []
    reports = list(
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("post__topic__category", "post__author", "reporter")
        .order_by("created_at", "id")[:200]
    )
    posts: dict[int, Post] = {}
    for report in reports:
        post = posts.setdefault(report.post_id, report.post)
        post.open_reports = [*getattr(post, "open_reports", []), report]
    return list(posts.values())


def list_moderation_log(*, viewer: AnyUser | None, before: int | None = None):
    if not is_moderator(viewer):
        return [], None
    entries = ModerationLogEntry.objects.select_related("actor", "topic", "post").order_by("-id")
    if before:
        entries = entries.filter(id__lt=before)
    rows = list(entries[:51])
    return rows[:50], (rows[49].id if len(rows) > 50 else None)
