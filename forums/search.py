"""Searching topics and posts the reader may see.

On PostgreSQL each post has a stored `search_vector` (the topic title weighted A on the
opening post, the body weighted B), GIN-indexed and ranked with `ts_rank`; on SQLite a plain
substring match stands in. Results depend on the reader only through the categories they may
read, so they are cached under that set (plus a generation bumped by moderation and edits).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Q
from django.utils.safestring import SafeString, mark_safe

from forums.models import Category, Post, State
from forums.permissions import visible_categories
from profiles.permissions import AnyUser

SEARCH_CONFIG = "english"
RESULTS_PER_PAGE = 20
MAX_PAGES = 5  # results beyond the first hundred are noise: refine the query instead
CACHE_SECONDS = 60
_GENERATION_KEY = "forums:search-generation"
# Sentinels ts_headline puts around matches: the rest of the snippet is escaped first.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchResult:
    post_id: int
    number: int
    topic_id: int
    topic_title: str
    topic_url: str
    category_name: str
    category_url: str
    author_name: str
    created_at: datetime
    snippet: SafeString


def bump_generation() -> None:
    """Make cached results stale: call after anything that hides, moves or changes text."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def refresh_vectors(*, post_ids: list[int] | None = None, topic_ids: list[int] | None = None):
    """Recompute stored search vectors (PostgreSQL only) for some posts, topics, or all."""
    if not settings.USES_POSTGRES:
        return
    where, params = "", []
    if post_ids is not None:
        where, params = " AND p.id = ANY(%s)", [list(post_ids)]
    elif topic_ids is not None:
        where, params = " AND p.topic_id = ANY(%s)", [list(topic_ids)]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forums_post p SET search_vector = "
            "CASE WHEN p.number = 1 THEN setweight(to_tsvector(%s::regconfig, t.title), 'A') "
            "ELSE ''::tsvector END || setweight(to_tsvector(%s::regconfig, p.body), 'B') "
            "FROM forums_topic t WHERE p.topic_id = t.id" + where,
            [SEARCH_CONFIG, SEARCH_CONFIG, *params],
        )


def search(
    *,
    viewer: AnyUser | None,
    q: str,
    category: Category | None = None,
    author: str = "",
    tag: str = "",
    page: int = 1,
) -> tuple[list[SearchResult], bool]:
    """One page of results the viewer may see, best first, and whether there is another."""
    q = " ".join(q.split())[:200]
    if not q and not (author or tag):
        return [], False
    page = min(max(page, 1), MAX_PAGES)
    category_ids = sorted(
        visible_categories(viewer, Category.objects.all()).values_list("id", flat=True)
    )
    if category is not None:
        category_ids = [category.id] if category.id in category_ids else []
    key = _cache_key(q, category_ids, author, tag, page)
    cached = cache.get(key)
    if cached is not None:
        return cached
    found = _run(q, category_ids, author, tag, page)
    cache.set(key, found, CACHE_SECONDS)
    return found


def _cache_key(q: str, category_ids: list[int], author: str, tag: str, page: int) -> str:
    generation = cache.get(_GENERATION_KEY, 0)
    raw = f"{generation}|{q}|{','.join(map(str, category_ids))}|{author}|{tag}|{page}"
    return "forums:search:" + hashlib.sha256(raw.encode()).hexdigest()


def _run(
    q: str, category_ids: list[int], author: str, tag: str, page: int
) -> tuple[list[SearchResult], bool]:
    posts = Post.objects.filter(
        topic__category_id__in=category_ids,
        topic__state=State.VISIBLE,
        state=State.VISIBLE,
        number__gt=0,
    )
    if author:
        posts = posts.filter(author__username=author)
    if tag:
        posts = posts.filter(topic__tags__slug=tag)
    start = (page - 1) * RESULTS_PER_PAGE
    window = slice(start, start + RESULTS_PER_PAGE + 1)
    if q and settings.USES_POSTGRES:
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        posts = (
            posts.filter(search_vector=query)
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                headline=SearchHeadline(
                    "body",
                    query,
                    config=SEARCH_CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=30,
                    min_words=12,
                ),
            )
            .order_by("-rank", "-id")
        )
    else:
        if q:
            posts = posts.filter(Q(body__icontains=q) | Q(number=1, topic__title__icontains=q))
        posts = posts.order_by("-id")
    rows = list(
        posts.select_related("topic__category", "author").only(
            "id",
            "number",
            "body",
            "created_at",
            "topic__id",
            "topic__title",
            "topic__slug",
            "topic__category__name",
            "topic__category__slug",
            "author__username",
            "author__display_name",
            "author__erased_at",  # read by `name`: deferred, it would cost a query per result
        )[window]
    )
    results = [_result(post, q) for post in rows[:RESULTS_PER_PAGE]]
    return results, len(rows) > RESULTS_PER_PAGE


def _result(post: Post, q: str) -> SearchResult:
    headline = getattr(post, "headline", None)
    if headline is None:
        headline = _plain_snippet(post.body, q)
    snippet = escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return SearchResult(
        post_id=post.id,
        number=post.number,
        topic_id=post.topic.id,
        topic_title=post.topic.title,
        topic_url=post.get_absolute_url(),
        category_name=post.topic.category.name,
        category_url=post.topic.category.get_absolute_url(),
        author_name=post.author.name,
        created_at=post.created_at,
        snippet=mark_safe(snippet),  # noqa: S308 - escaped above; only our <mark> is markup
    )


def _plain_snippet(body: str, q: str, width: int = 200) -> str:
    text = " ".join(body.split())
    at = text.lower().find(q.lower()) if q else -1
    if at < 0:
        return text[:width]
    start = max(0, at - width // 3)
    found = text[at : at + len(q)]
    return f"{text[start:at]}{_START}{found}{_STOP}{text[at + len(q) : start + width]}"
