"""Telling members about new posts: mentions, replies to watched topics, new topics in
watched categories. Called once the post is committed, each in the recipient's language."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from forums import permissions
from forums.models import Category, Post, State, Subscription, Topic
from notifications.services import notify, text_for_recipient
from profiles.models import User
from taxonomy.labels import label_lazy


def notify_mentions(post: Post, mentioned: list[User], *, actor: User | None = None) -> set[int]:
    """Tell mentioned members who may read the topic; return whom we told."""
    told = set()
    topic = post.topic
    for member in mentioned:
        if not permissions.can_see_topic(member, topic) or post.state != State.VISIBLE:
            continue
        text = text_for_recipient(
            gettext_noop("%(name)s mentioned you in “%(title)s”"),
            name=post.author.name,
            title=topic.title,
        )
        if notify(
            recipient=member,
            kind="mention",
            text=text,
            url=post.get_absolute_url(),
            actor=actor or post.author,
        ):
            told.add(member.pk)
    return told


def _watchers(*, topic: Topic | None = None, category: Category | None = None) -> list[User]:
    lookup = {"topic": topic} if topic is not None else {"category": category}
    return [
        subscription.user
        for subscription in Subscription.objects.filter(**lookup).select_related("user")
    ]


def notify_reply(post: Post, mentioned: list[User]) -> None:
    told = notify_mentions(post, mentioned)
    topic = post.topic
    for member in _watchers(topic=topic):
        if member.pk in told or member.pk == post.author_id:
            continue
        if not permissions.can_see_topic(member, topic):
            continue
        text = text_for_recipient(
            gettext_noop("%(name)s replied in “%(title)s”"),
            name=post.author.name,
            title=topic.title,
        )
        notify(
            recipient=member,
            kind="reply",
            text=text,
            url=post.get_absolute_url(),
            actor=post.author,
        )


def notify_new_topic(post: Post, mentioned: list[User]) -> None:
    told = notify_mentions(post, mentioned)
    topic = post.topic
    for member in _watchers(category=topic.category):
        if member.pk in told or member.pk == post.author_id:
            continue
        if not permissions.can_read(member, topic.category):
            continue
        text = text_for_recipient(
            gettext_noop("New topic in %(category)s: “%(title)s”"),
            category=label_lazy(topic.category.name),  # a default category's name translates
            title=topic.title,
        )
        notify(
            recipient=member,
            kind="new_topic",
            text=text,
            url=reverse("forums:post-permalink", kwargs={"post_id": post.pk}),
            actor=post.author,
        )
