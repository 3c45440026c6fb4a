"""A member's forum data, for the data export and account erasure in profiles.services.

Posts stay when an account is erased (discussions keep their thread, credited to a former
member); what only concerned the member goes: subscriptions, reading state, visits,
reactions and open reports they filed.
"""

from django.db import transaction
from django.db.models import Count, F

from forums.models import (
    ForumVisit,
    Post,
    Reaction,
    ReadState,
    Report,
    Subscription,
    Topic,
    forget_topics,
)


def export_member_data(*, member) -> dict:
    posts = Post.objects.filter(author=member).select_related("topic").order_by("created_at")
    return {
        "forum_posts": [
            {
                "topic": post.topic.title,
                "number": post.number,
                "created_at": post.created_at.isoformat(),
                "edited_at": post.edited_at.isoformat() if post.edited_at else None,
                "body": post.body,
                "url": post.get_absolute_url(),
            }
            for post in posts
        ],
        "forum_subscriptions": [
            {
                "topic": s.topic.title if s.topic else None,
                "category": s.category.name if s.category else None,
            }
            for s in Subscription.objects.filter(user=member).select_related("topic", "category")
        ],
        "forum_reactions": list(
            Reaction.objects.filter(user=member).values("post_id", "kind", "created_at")
        ),
        "forum_reports_filed": list(
            Report.objects.filter(reporter=member).values(
                "post_id", "reason", "detail", "created_at"
            )
        ),
    }


@transaction.atomic
def erase_member_data(*, member) -> None:
    Subscription.objects.filter(user=member).delete()
    ReadState.objects.filter(user=member).delete()
    ForumVisit.objects.filter(user=member).delete()
    reactions = Reaction.objects.filter(user=member)
    post_ids = set(reactions.values_list("post_id", flat=True))
    reactions.delete()
    for post in Post.objects.filter(pk__in=post_ids):
        counts = dict(
            Reaction.objects.filter(post=post)
            .values("kind")
            .annotate(n=Count("id"))
            .values_list("kind", "n")
        )
        Post.objects.filter(pk=post.pk).update(reaction_counts=counts)
    topic_ids = Post.objects.filter(pk__in=post_ids).values("topic_id")
    Topic.objects.filter(pk__in=topic_ids).update(revision=F("revision") + 1)  # stale pages
    forget_topics(Topic.objects.filter(pk__in=topic_ids).values_list("pk", flat=True))
