"""A topic and its pages, as each viewer sees them.

A topic page is `number BETWEEN a AND b` over an index, so its last page costs what its
first does. What does not depend on the reader (each post's rendered block) is cached under
the topic's `revision`, which every change to the topic bumps; the reader's own state
(reactions, what is new, which actions they may take) is added per request.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from forums.models import (
    CATEGORIES_GENERATION_KEY,
    POSTS_PER_PAGE,
    REACTION_SYMBOLS,
    Post,
    Reaction,
    ReactionKind,
    ReadState,
    State,
    Subscription,
    Topic,
    topic_cache_key,
)
from forums.permissions import TopicRights, topic_rights
from profiles.permissions import AnyUser, is_member

PAGE_CACHE_SECONDS = 24 * 3600
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
