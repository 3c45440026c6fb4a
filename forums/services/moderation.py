"""Reports and moderation: every action checked, logged with who and why."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forums import permissions, search
from forums.models import (
    Category,
    ModerationAction,
    ModerationLogEntry,
    Post,
    ReadState,
    Report,
    State,
    Topic,
    forget_topics,
    topic_slug,
)
from forums.services.cleaning import clean_title
from forums.services.counters import recount_category, recount_topic
from profiles.models import User

# Reports and moderation -------------------------------------------------------------------


@transaction.atomic
def report_post(*, reporter: User, post: Post, reason: str, detail: str = "") -> Report:
    """File a report for moderators; a second report by the same member adds nothing."""
    if not permissions.can_report(reporter, post):
        raise PermissionDenied
    if reason not in Report.Reason.values:
        raise ValidationError(_("Choose a reason."), code="invalid")
    if reason == Report.Reason.OTHER and not detail.strip():
        raise ValidationError(_("Tell the moderators what is wrong."), code="required")
    report, _created = Report.objects.get_or_create(
        post=post,
        reporter=reporter,
        resolved_at=None,
        defaults={"reason": reason, "detail": detail.strip()[:2000]},
    )
    return report


@transaction.atomic
def resolve_reports(*, moderator: User, post: Post, resolution: str) -> int:
    """Close every open report on `post` (after acting on it, or dismissing it)."""
    if not permissions.can_moderate(moderator, post.topic.category):
        raise PermissionDenied
    count = Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator, resolution=resolution[:200]
    )
    if count and resolution == "dismissed":
        log_action(moderator, ModerationAction.DISMISS_REPORT, "", topic=post.topic, post=post)
    return count


def _require_moderator(moderator: User, category: Category) -> None:
    if not permissions.can_moderate(moderator, category):
        raise PermissionDenied


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why: the moderation log keeps the reason."), code="required")
    return reason[:2000]


@transaction.atomic
def set_pinned(*, moderator: User, topic: Topic, pinned: bool, reason: str = "") -> Topic:
    _require_moderator(moderator, topic.category)
    Topic.objects.filter(pk=topic.pk).update(is_pinned=pinned, revision=F("revision") + 1)
    forget_topics([topic.pk])
    action = ModerationAction.PIN if pinned else ModerationAction.UNPIN
    log_action(moderator, action, reason, topic=topic)
    topic.refresh_from_db()
    return topic


@transaction.atomic
def set_locked(*, moderator: User, topic: Topic, locked: bool, reason: str = "") -> Topic:
    _require_moderator(moderator, topic.category)
    Topic.objects.filter(pk=topic.pk).update(is_locked=locked, revision=F("revision") + 1)
    forget_topics([topic.pk])
    action = ModerationAction.LOCK if locked else ModerationAction.UNLOCK
    log_action(moderator, action, reason, topic=topic)
    topic.refresh_from_db()
    return topic


_TOPIC_ACTIONS = {
    State.HIDDEN: ModerationAction.HIDE_TOPIC,
    State.DELETED: ModerationAction.DELETE_TOPIC,
}


@transaction.atomic
def set_topic_state(*, moderator: User, topic: Topic, state: str, reason: str) -> Topic:
    """Hide, delete (softly) or bring back a topic; the log keeps who and why."""
    _require_moderator(moderator, topic.category)
    reason = _require_reason(reason)
    if state not in State.values:
        raise ValidationError(_("Unknown state."), code="invalid")
    previous = topic.state
    Topic.objects.filter(pk=topic.pk).update(state=state, revision=F("revision") + 1)
    forget_topics([topic.pk])
    if state in _TOPIC_ACTIONS:
        action = _TOPIC_ACTIONS[state]
    else:
        was_deleted = previous == State.DELETED
        action = ModerationAction.RESTORE_TOPIC if was_deleted else ModerationAction.UNHIDE_TOPIC
    log_action(moderator, action, reason, topic=topic)
    recount_category(category=topic.category)
    search.bump_generation()
    topic.refresh_from_db()
    return topic


@transaction.atomic
def set_post_state(*, actor: User, post: Post, state: str, reason: str = "") -> Post:
    """Hide or unhide (moderators), delete softly (the author or a moderator), restore.

    The opening post stands for the topic: hiding or deleting it does the same to the topic.
    """
    post = Post.objects.select_related("topic__category").get(pk=post.pk)
    category = post.topic.category
    own_delete = state == State.DELETED and post.author_id == actor.pk
    if own_delete:
        if not permissions.can_delete_post(actor, post):
            raise PermissionDenied
    else:
        _require_moderator(actor, category)
        reason = _require_reason(reason)
    if state not in State.values:
        raise ValidationError(_("Unknown state."), code="invalid")
    previous = post.state
    Post.objects.filter(pk=post.pk).update(state=state)
    if post.number == 1 and post.topic.state != state:
        Topic.objects.filter(pk=post.topic_id).update(state=state)
    Topic.objects.filter(pk=post.topic_id).update(revision=F("revision") + 1)
    forget_topics([post.topic_id])
    if not own_delete:
        action = {
            State.HIDDEN: ModerationAction.HIDE_POST,
            State.DELETED: ModerationAction.DELETE_POST,
        }.get(
            state,
            ModerationAction.RESTORE_POST
            if previous == State.DELETED
            else ModerationAction.UNHIDE_POST,
        )
        log_action(actor, action, reason, topic=post.topic, post=post)
        if state != State.VISIBLE:
            Report.objects.filter(post=post, resolved_at__isnull=True).update(
                resolved_at=timezone.now(), resolved_by=actor, resolution=str(action.label)
            )
    recount_topic(topic=post.topic)
    search.bump_generation()
    post.refresh_from_db()
    return post


@transaction.atomic
def move_topic(*, moderator: User, topic: Topic, category: Category, reason: str) -> Topic:
    _require_moderator(moderator, topic.category)
    _require_moderator(moderator, category)
    reason = _require_reason(reason)
    source = topic.category
    if source.pk == category.pk:
        raise ValidationError(_("The topic is already there."), code="invalid")
    Topic.objects.filter(pk=topic.pk).update(category=category, revision=F("revision") + 1)
    forget_topics([topic.pk])
    log_action(
        moderator, ModerationAction.MOVE, reason, topic=topic, detail=f"{source} → {category}"
    )
    recount_category(category=source)
    recount_category(category=category)
    search.bump_generation()
    topic.refresh_from_db()
    return topic


@transaction.atomic
def split_topic(
    *,
    moderator: User,
    topic: Topic,
    post_ids: Iterable[int],
    title: str,
    category: Category | None = None,
    reason: str,
) -> Topic:
    """Move some replies of `topic` into a new topic, in their order, numbered from 1.

    The posts left behind are renumbered so the old topic's pages have no holes; permalinks
    (`/forums/p/<id>/`) keep working for every moved post.
    """
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    category = category or topic.category
    _require_moderator(moderator, topic.category)
    _require_moderator(moderator, category)
    reason, title = _require_reason(reason), clean_title(title)
    moving = list(
        Post.objects.filter(topic=topic, pk__in=list(post_ids), number__gt=1).order_by("number")
    )
    if not moving:
        raise ValidationError(_("Choose the replies to split off."), code="required")
    first = moving[0]
    new_topic = Topic.objects.create(
        category=category,
        title=title,
        slug=topic_slug(title),
        author=first.author,
        created_at=first.created_at,
    )
    for post in moving:
        post.number += _PARKING
    Post.objects.bulk_update(moving, ["number"])
    for index, post in enumerate(moving, start=1):
        post.topic, post.number = new_topic, index
    Post.objects.bulk_update(moving, ["topic", "number"])
    _renumber(topic)
    recount_topic(topic=topic)
    recount_topic(topic=new_topic)
    search.refresh_vectors(topic_ids=[topic.id, new_topic.id])
    search.bump_generation()
    log_action(
        moderator,
        ModerationAction.SPLIT,
        reason,
        topic=topic,
        detail=_("%(count)d posts to “%(title)s”") % {"count": len(moving), "title": title},
    )
    recount_category(category=topic.category)
    if category.pk != topic.category_id:
        recount_category(category=category)
    new_topic.refresh_from_db()
    return new_topic


# Renumbering parks posts above every real number first, so (topic, number) stays unique.
_PARKING = 1_000_000_000


def _renumber(topic: Topic) -> None:
    posts = list(Post.objects.filter(topic=topic, number__gt=0).order_by("number"))
    changed = [post for index, post in enumerate(posts, start=1) if post.number != index]
    if not changed:
        return
    for post in changed:
        post.number += _PARKING
    Post.objects.bulk_update(changed, ["number"])
    for index, post in enumerate(posts, start=1):
        post.number = index
    Post.objects.bulk_update(changed, ["number"])
    ReadState.objects.filter(topic=topic, last_read_number__gt=len(posts)).update(
        last_read_number=len(posts)
    )


def log_action(
    actor: User,
    action: str,
    reason: str,
    *,
    topic: Topic | None = None,
    post: Post | None = None,
    detail: str = "",
) -> ModerationLogEntry:
    """One line of the moderation log: who did what, to which topic or post, and why."""
    return ModerationLogEntry.objects.create(
        actor=actor, action=action, reason=reason, topic=topic, post=post, detail=detail[:300]
    )
