"""What moderators review: the queue of reported posts and the moderation log."""

from forums.models import ModerationLogEntry, Post, Report
from profiles.permissions import AnyUser, is_moderator


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
