"""Forum structure and content.

Categories come from the taxonomy's default list and are edited by staff. Posts carry a
per-topic `number`, so page N of a topic is `number BETWEEN a AND b` (an index range, never an
OFFSET scan), and their Markdown is rendered to sanitised HTML once, when saved.
Counters (`post_count`, `last_post_at` …) are kept by the services and rebuilt by the
`rebuild_forum_counters` command.

One module per part: categories, topics (and tags), posts (revisions, reactions, images),
reading (watching, read positions, visits), moderation (reports, log), and caching (the
cached topic rows). Everything is importable from `forums.models`, as Django and the other
apps expect.
"""

from forums.models.caching import (
    CATEGORIES_GENERATION_KEY,
    categories_changed,
    forget_topics,
    topic_cache_key,
)
from forums.models.categories import RESERVED_SLUGS, Access, Category
from forums.models.moderation import ModerationAction, ModerationLogEntry, Report
from forums.models.posts import (
    MAX_BODY,
    REACTION_SYMBOLS,
    Post,
    PostImage,
    PostRevision,
    Reaction,
    ReactionKind,
)
from forums.models.reading import ForumVisit, ReadState, Subscription
from forums.models.topics import (
    MAX_TITLE,
    POSTS_PER_PAGE,
    State,
    TaggedTopic,
    Topic,
    TopicTag,
    page_of,
    topic_slug,
)

__all__ = [
    "CATEGORIES_GENERATION_KEY",
    "MAX_BODY",
    "MAX_TITLE",
    "POSTS_PER_PAGE",
    "REACTION_SYMBOLS",
    "RESERVED_SLUGS",
    "Access",
    "Category",
    "ForumVisit",
    "ModerationAction",
    "ModerationLogEntry",
    "Post",
    "PostImage",
    "PostRevision",
    "Reaction",
    "ReactionKind",
    "ReadState",
    "Report",
    "State",
    "Subscription",
    "TaggedTopic",
    "Topic",
    "TopicTag",
    "categories_changed",
    "forget_topics",
    "page_of",
    "topic_cache_key",
    "topic_slug",
]
