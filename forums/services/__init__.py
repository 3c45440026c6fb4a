"""Every write to the forums.

Services check permission again (views only choose what to show), validate, write inside a
transaction, keep the denormalised counters, and schedule notifications with `on_commit`.
Anything that changes how a topic's pages look bumps `Topic.revision`, the key under which
rendered pages are cached.

One module per kind of write (writing, images, reactions, reading, moderation, counters,
categories) and their helpers (cleaning, rate_limits, notifying). Callers use
`from forums import services` and `services.<name>`: every service is importable from here.
"""

from forums.services.categories import PUBLIC_DEFAULT_CATEGORIES, ensure_default_categories
from forums.services.cleaning import MAX_TAG_LENGTH, MAX_TAGS, clean_tags
from forums.services.counters import rebuild_counters, recount_category, recount_topic
from forums.services.images import image_markdown, upload_image
from forums.services.moderation import (
    move_topic,
    report_post,
    resolve_reports,
    set_locked,
    set_pinned,
    set_post_state,
    set_topic_state,
    split_topic,
)
from forums.services.rate_limits import (
    IMAGE_LIMIT,
    NEW_MEMBER_DAYS,
    NEW_MEMBER_POST_LIMIT,
    POST_LIMIT,
)
from forums.services.reactions import toggle_reaction
from forums.services.reading import VISIT_GAP, mark_read, record_visit, set_watching
from forums.services.writing import (
    create_topic,
    edit_post,
    edit_topic,
    preview,
    quote_for_reply,
    render_post,
    reply,
    write_summary,
)

__all__ = [
    "IMAGE_LIMIT",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "NEW_MEMBER_DAYS",
    "NEW_MEMBER_POST_LIMIT",
    "POST_LIMIT",
    "PUBLIC_DEFAULT_CATEGORIES",
    "VISIT_GAP",
    "clean_tags",
    "create_topic",
    "edit_post",
    "edit_topic",
    "ensure_default_categories",
    "image_markdown",
    "mark_read",
    "move_topic",
    "preview",
    "quote_for_reply",
    "rebuild_counters",
    "recount_category",
    "recount_topic",
    "record_visit",
    "render_post",
    "reply",
    "report_post",
    "resolve_reports",
    "set_locked",
    "set_pinned",
    "set_post_state",
    "set_topic_state",
    "set_watching",
    "split_topic",
    "toggle_reaction",
    "upload_image",
    "write_summary",
]
