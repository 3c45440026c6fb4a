"""Denormalised forum counters: kept by the services, rebuilt by a command."""

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from forums.models import (
    Category,
    Post,
    State,
    Topic,
    categories_changed,
    forget_topics,
)

# Counters ---------------------------------------------------------------------------------


def recount_topic(*, topic: Topic) -> None:
    """Recompute a topic's counters from its posts."""
    visible = Post.objects.filter(topic=topic, state=State.VISIBLE, number__gt=0)
    last = visible.order_by("-number").values("created_at", "author_id").first()
    top = Post.objects.filter(topic=topic).aggregate(n=Max("number"))["n"] or 0
    Topic.objects.filter(pk=topic.pk).update(
        post_count=visible.count(),
        last_number=top,
        last_post_at=last["created_at"] if last else topic.created_at,
        last_poster_id=last["author_id"] if last else topic.author_id,
        revision=F("revision") + 1,
    )
    forget_topics([topic.pk])


def recount_category(*, category: Category) -> None:
    """Recompute a category's counters from its visible topics."""
    topics = Topic.objects.filter(category=category, state=State.VISIBLE)
    # distinct: the posts join repeats each topic once per post.
    totals = topics.aggregate(
        topics=Count("id", distinct=True), posts=Count("posts", filter=_visible_posts())
    )
    last = topics.order_by("-last_post_at", "-id").values("id", "last_post_at").first()
    Category.objects.filter(pk=category.pk).update(
        topic_count=totals["topics"],
        post_count=totals["posts"],
        last_post_at=last["last_post_at"] if last else None,
        last_topic_id=last["id"] if last else None,
    )


def _visible_posts() -> Q:
    return Q(posts__state=State.VISIBLE, posts__number__gt=0)


def rebuild_counters(*, progress=None) -> tuple[int, int]:
    """Recompute every topic's and category's counters in a few set-wide queries.

    A topic left with no visible post keeps its own time and author as its last activity.
    """
    with transaction.atomic():
        visible = Post.objects.filter(topic=OuterRef("pk"), state=State.VISIBLE, number__gt=0)
        last = visible.order_by("-number")
        Topic.objects.update(
            post_count=Coalesce(
                Subquery(visible.order_by().values("topic").annotate(n=Count("id")).values("n")),
                0,
            ),
            last_number=Coalesce(
                Subquery(
                    Post.objects.filter(topic=OuterRef("pk"))
                    .order_by()
                    .values("topic")
                    .annotate(n=Max("number"))
                    .values("n")
                ),
                0,
            ),
            last_post_at=Coalesce(Subquery(last.values("created_at")[:1]), F("created_at")),
            last_poster_id=Coalesce(Subquery(last.values("author_id")[:1]), F("author_id")),
        )
        categories_changed()  # every cached topic row is stale
        if progress:
            progress(1)
        categories = list(Category.objects.all())
        for category in categories:
            recount_category(category=category)
        if progress:
            progress(1)
    return Topic.objects.count(), len(categories)
