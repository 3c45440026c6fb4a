"""Writing posts: topics, replies, edits, summaries, and the preview of each."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import permissions, search
from forums.models import (
    MAX_BODY,
    Category,
    ModerationAction,
    Post,
    PostRevision,
    ReadState,
    Subscription,
    Topic,
    forget_topics,
    topic_slug,
)
from forums.services.cleaning import clean_body, clean_tags, clean_title
from forums.services.moderation import log_action
from forums.services.notifying import notify_mentions, notify_new_topic, notify_reply
from forums.services.rate_limits import check_rate
from forums.services.reading import mark_read
from network.markdown import find_mentions, render_markdown
from profiles.models import User


def render_post(*, author: User, body: str) -> tuple[str, list[User]]:
    """Sanitised HTML for `body` and the members it mentions that `author` may mention."""
    names = find_mentions(body)
    mentioned = list(permissions.mentionable_members(author, names)) if names else []
    urls = {member.username: member.get_absolute_url() for member in mentioned}
    return render_markdown(body, mention_url=urls.get), mentioned


def preview(*, author: User, body: str) -> str:
    """What `body` will look like, for the Preview button: nothing is stored."""
    html, _mentioned = render_post(author=author, body=(body or "")[:MAX_BODY])
    return html


@transaction.atomic
def create_topic(
    *, author: User, category: Category, title: str, body: str, tags: Iterable[str] = ()
) -> Topic:
    """Open a topic with its first post; the author watches it; watchers of the category
    and mentioned members are notified once committed."""
    if not permissions.can_post(author, category):
        raise PermissionDenied
    title, body, names = clean_title(title), clean_body(body), clean_tags(tags)
    check_rate(author)
    now = timezone.now()
    topic = Topic.objects.create(
        category=category,
        title=title,
        slug=topic_slug(title),
        author=author,
        created_at=now,
        last_number=1,
        post_count=1,
        last_post_at=now,
        last_poster=author,
    )
    html, mentioned = render_post(author=author, body=body)
    post = Post.objects.create(
        topic=topic, number=1, author=author, body=body, html=html, created_at=now
    )
    if names:
        topic.tags.set(names)
    Category.objects.filter(pk=category.pk).update(
        topic_count=F("topic_count") + 1,
        post_count=F("post_count") + 1,
        last_post_at=now,
        last_topic=topic,
    )
    search.refresh_vectors(post_ids=[post.id])
    Subscription.objects.get_or_create(user=author, topic=topic)
    ReadState.objects.create(user=author, topic=topic, last_read_number=1)
    transaction.on_commit(lambda: notify_new_topic(post, mentioned))
    return topic


@transaction.atomic
def reply(*, author: User, topic: Topic, body: str) -> Post:
    """Add a post at the end of `topic`; watchers and mentioned members are notified."""
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    if not permissions.can_reply(author, topic):
        if topic.is_locked and permissions.can_see_topic(author, topic):
            raise ValidationError(_("This topic is locked."), code="locked")
        raise PermissionDenied
    body = clean_body(body)
    check_rate(author)
    now = timezone.now()
    html, mentioned = render_post(author=author, body=body)
    number = topic.last_number + 1
    post = Post.objects.create(
        topic=topic, number=number, author=author, body=body, html=html, created_at=now
    )
    Topic.objects.filter(pk=topic.pk).update(
        last_number=number,
        post_count=F("post_count") + 1,
        last_post_at=now,
        last_poster=author,
        revision=F("revision") + 1,
    )
    forget_topics([topic.pk])
    Category.objects.filter(pk=topic.category_id).update(
        post_count=F("post_count") + 1, last_post_at=now, last_topic=topic
    )
    search.refresh_vectors(post_ids=[post.id])
    mark_read(member=author, topic=topic, number=number)
    transaction.on_commit(lambda: notify_reply(post, mentioned))
    return post


def quote_for_reply(*, post: Post) -> str:
    """Markdown quoting `post`, with a link back to it, to start a reply with."""
    lines = post.body.strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    wrote = _("%(name)s wrote") % {"name": f"@{post.author.username}"}
    return f"> [{wrote}]({post.get_absolute_url()}):\n>\n{quoted}\n\n"


@transaction.atomic
def edit_post(*, editor: User, post: Post, body: str, reason: str = "") -> Post:
    """Replace a post's text, keeping the old version in its history; newly mentioned members
    are notified. A moderator editing someone else's post is logged."""
    post = Post.objects.select_for_update().select_related("topic__category").get(pk=post.pk)
    if not permissions.can_edit_post(editor, post):
        raise PermissionDenied
    body = clean_body(body)
    if body == post.body:
        return post
    before = set(find_mentions(post.body))
    html, mentioned = render_post(author=post.author, body=body)
    now = timezone.now()
    PostRevision.objects.create(
        post=post,
        body=post.body,
        html=post.html,
        written_at=post.edited_at or post.created_at,
        replaced_at=now,
        replaced_by=editor,
    )
    post.body, post.html, post.edited_at, post.edited_by = body, html, now, editor
    post.save(update_fields=["body", "html", "edited_at", "edited_by"])
    Topic.objects.filter(pk=post.topic_id).update(revision=F("revision") + 1)
    forget_topics([post.topic_id])
    search.refresh_vectors(post_ids=[post.id])
    search.bump_generation()
    if editor.pk != post.author_id and not post.is_summary:
        log_action(editor, ModerationAction.EDIT_POST, reason, topic=post.topic, post=post)
    new_mentions = [member for member in mentioned if member.username not in before]
    transaction.on_commit(lambda: notify_mentions(post, new_mentions, actor=editor))
    return post


@transaction.atomic
def edit_topic(*, editor: User, topic: Topic, title: str, tags: Iterable[str]) -> Topic:
    if not permissions.can_edit_topic(editor, topic):
        raise PermissionDenied
    title, names = clean_title(title), clean_tags(tags)
    topic.title, topic.slug = title, topic_slug(title)
    topic.revision = F("revision") + 1
    topic.save(update_fields=["title", "slug", "revision"])
    topic.tags.set(names)
    forget_topics([topic.pk])
    topic.refresh_from_db()
    search.refresh_vectors(topic_ids=[topic.id])
    search.bump_generation()
    return topic


@transaction.atomic
def write_summary(*, author: User, topic: Topic, body: str) -> Post:
    """Write or rewrite the topic's consolidated reply, shown pinned above its posts.

    It is a post numbered 0: edits keep history like any post's and show who and when.
    """
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    if not permissions.can_write_summary(author, topic):
        raise PermissionDenied
    body = clean_body(body)
    if topic.summary_id:
        summary = edit_post(editor=author, post=Post.objects.get(pk=topic.summary_id), body=body)
    else:
        html, _mentioned = render_post(author=author, body=body)
        summary = Post.objects.create(topic=topic, number=0, author=author, body=body, html=html)
        Topic.objects.filter(pk=topic.pk).update(summary=summary, revision=F("revision") + 1)
        forget_topics([topic.pk])
        search.refresh_vectors(post_ids=[summary.id])
    log_action(author, ModerationAction.SUMMARY, "", topic=topic, post=summary)
    return summary
