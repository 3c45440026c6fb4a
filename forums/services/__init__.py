"""Every write to the forums.

Services check permission again (views only choose what to show), validate, write inside a
transaction, keep the denormalised counters, and schedule notifications with `on_commit`.
Anything that changes how a topic's pages look bumps `Topic.revision`, the key under which
rendered pages are cached.
"""

import time
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from forums import permissions, search
from forums.models import (
    MAX_BODY,
    Access,
    Category,
    ForumVisit,
    ModerationAction,
    Post,
    PostImage,
    PostRevision,
    Reaction,
    ReactionKind,
    ReadState,
    State,
    Subscription,
    Topic,
    forget_topics,
    topic_slug,
)
from forums.services.cleaning import _clean_title
from forums.services.counters import rebuild_counters, recount_category, recount_topic
from forums.services.moderation import (
    _log,
    move_topic,
    report_post,
    resolve_reports,
    set_locked,
    set_pinned,
    set_post_state,
    set_topic_state,
    split_topic,
)
from forums.uploads import reencode_image
from network.markdown import find_mentions, render_markdown
from notifications.services import notify, text_for_recipient
from profiles.models import User
from profiles.permissions import is_member, is_moderator
from taxonomy.labels import label_lazy
from taxonomy.services import read_taxonomy

# Moderation and counters live in their own modules; callers keep using `services.<name>`.
__all__ = [
    "move_topic",
    "rebuild_counters",
    "recount_category",
    "recount_topic",
    "report_post",
    "resolve_reports",
    "set_locked",
    "set_pinned",
    "set_post_state",
    "set_topic_state",
    "split_topic",
]

# Announcements are the public face of the network; everything else members discuss among
# themselves, since many members are at personal risk.
PUBLIC_DEFAULT_CATEGORIES = {"announcements"}

MAX_TAGS = 5
MAX_TAG_LENGTH = 40
# Posting limits: (posts, seconds). New members get a stricter one until they have been
# approved for NEW_MEMBER_DAYS: it stops a fresh account from flooding before anyone notices.
POST_LIMIT = (8, 300)
NEW_MEMBER_POST_LIMIT = (3, 600)
NEW_MEMBER_DAYS = 3
IMAGE_LIMIT = (20, 3600)
# A gap this long between two forum page views starts a new visit.
VISIT_GAP = timedelta(minutes=30)


@transaction.atomic
def ensure_default_categories() -> int:
    """Create the taxonomy's default categories that do not exist yet; return how many.

    Existing categories are left as staff edited them.
    """
    created = 0
    for item in read_taxonomy()["forum_categories"]:
        _category, was_created = Category.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item.get("description", ""),
                "kind": item.get("kind", ""),
                "order": item.get("order", 0),
                "access": (
                    Access.PUBLIC if item["slug"] in PUBLIC_DEFAULT_CATEGORIES else Access.MEMBERS
                ),
                "topics_by_moderators_only": item["slug"] in PUBLIC_DEFAULT_CATEGORIES,
            },
        )
        created += was_created
    return created


# Writing ---------------------------------------------------------------------------------


def _limits_for(member: User) -> tuple[int, int]:
    since = member.decided_at or member.date_joined
    if since and timezone.now() - since < timedelta(days=NEW_MEMBER_DAYS):
        return getattr(settings, "FORUMS_NEW_MEMBER_POST_LIMIT", NEW_MEMBER_POST_LIMIT)
    return getattr(settings, "FORUMS_POST_LIMIT", POST_LIMIT)


def _check_rate(member: User, *, what: str = "post") -> None:
    """Count one post (or image) against the member's limit, shared across processes through
    the cache; ValidationError(code="rate_limited") past it."""
    if is_moderator(member):
        return
    if what == "image":
        limit, window = getattr(settings, "FORUMS_IMAGE_LIMIT", IMAGE_LIMIT)
    else:
        limit, window = _limits_for(member)
    key = f"forums:rate:{what}:{member.pk}:{int(time.time() // window)}"
    if cache.add(key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
    if count > limit:
        raise ValidationError(
            _("You are posting too fast. Please wait a few minutes and try again."),
            code="rate_limited",
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="required")
    if len(body) > MAX_BODY:
        raise ValidationError(_("That message is too long."), code="too_long")
    return body


def clean_tags(tags: Iterable[str]) -> list[str]:
    names = []
    for raw in tags:
        name = " ".join(str(raw).split()).lower()
        if name and name not in names:
            if len(name) > MAX_TAG_LENGTH:
                raise ValidationError(_("A tag is too long."), code="too_long")
            names.append(name)
    if len(names) > MAX_TAGS:
        raise ValidationError(
            _("Use at most %(count)d tags.") % {"count": MAX_TAGS}, code="too_many"
        )
    return names


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
    title, body, names = _clean_title(title), _clean_body(body), clean_tags(tags)
    _check_rate(author)
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
    transaction.on_commit(lambda: _notify_new_topic(post, mentioned))
    return topic


@transaction.atomic
def reply(*, author: User, topic: Topic, body: str) -> Post:
    """Add a post at the end of `topic`; watchers and mentioned members are notified."""
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    if not permissions.can_reply(author, topic):
        if topic.is_locked and permissions.can_see_topic(author, topic):
            raise ValidationError(_("This topic is locked."), code="locked")
        raise PermissionDenied
    body = _clean_body(body)
    _check_rate(author)
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
    transaction.on_commit(lambda: _notify_reply(post, mentioned))
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
    body = _clean_body(body)
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
        _log(editor, ModerationAction.EDIT_POST, reason, topic=post.topic, post=post)
    new_mentions = [member for member in mentioned if member.username not in before]
    transaction.on_commit(lambda: _notify_mentions(post, new_mentions, actor=editor))
    return post


@transaction.atomic
def edit_topic(*, editor: User, topic: Topic, title: str, tags: Iterable[str]) -> Topic:
    if not permissions.can_edit_topic(editor, topic):
        raise PermissionDenied
    title, names = _clean_title(title), clean_tags(tags)
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
    body = _clean_body(body)
    if topic.summary_id:
        summary = edit_post(editor=author, post=Post.objects.get(pk=topic.summary_id), body=body)
    else:
        html, _mentioned = render_post(author=author, body=body)
        summary = Post.objects.create(topic=topic, number=0, author=author, body=body, html=html)
        Topic.objects.filter(pk=topic.pk).update(summary=summary, revision=F("revision") + 1)
        forget_topics([topic.pk])
        search.refresh_vectors(post_ids=[summary.id])
    _log(author, ModerationAction.SUMMARY, "", topic=topic, post=summary)
    return summary


@transaction.atomic
def upload_image(*, uploader: User, upload) -> PostImage:
    """Store a re-encoded copy of an image for use in posts; returns it (its `.file.url`
    goes into the Markdown). Limited per member like posts, on its own counter."""
    if not is_member(uploader):
        raise PermissionDenied
    content, name = reencode_image(upload)
    _check_rate(uploader, what="image")
    image = PostImage(uploader=uploader)
    image.file.save(name, content, save=False)
    image.save()
    return image


def image_markdown(image: PostImage, alt: str = "") -> str:
    return f"![{alt or _('image')}]({image.file.url})"


# Reactions, watching, reading -------------------------------------------------------------


@transaction.atomic
def toggle_reaction(*, member: User, post: Post, kind: str) -> bool:
    """Add the member's reaction of `kind` to `post`, or take it back; True if now on."""
    if kind not in ReactionKind.values:
        raise ValidationError(_("Unknown reaction."), code="invalid")
    post = Post.objects.select_for_update().select_related("topic__category").get(pk=post.pk)
    if not permissions.can_react(member, post):
        raise PermissionDenied
    deleted, _rows = Reaction.objects.filter(post=post, user=member, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(post=post, user=member, kind=kind)
    counts = dict(
        Reaction.objects.filter(post=post)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    Post.objects.filter(pk=post.pk).update(reaction_counts=counts)
    Topic.objects.filter(pk=post.topic_id).update(revision=F("revision") + 1)
    forget_topics([post.topic_id])
    return not deleted


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


# Notifications ----------------------------------------------------------------------------


def _notify_mentions(post: Post, mentioned: list[User], *, actor: User | None = None) -> set[int]:
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


def _notify_reply(post: Post, mentioned: list[User]) -> None:
    told = _notify_mentions(post, mentioned)
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


def _notify_new_topic(post: Post, mentioned: list[User]) -> None:
    told = _notify_mentions(post, mentioned)
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
