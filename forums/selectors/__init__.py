"""Reads of the forums; each takes the viewer and runs a fixed number of queries.

One module per thing read: categories, topic_lists (a category's topics, what is new),
topic_pages (a topic and its cached pages), posts (a single post), moderation (the report
queue and the log). Callers use `from forums import selectors` and `selectors.<name>`.
"""

from forums.selectors.categories import get_category, list_categories, moveable_categories
from forums.selectors.moderation import list_moderation_log, list_open_reports
from forums.selectors.posts import get_post, list_revisions, list_topic_posts_for_split
from forums.selectors.topic_lists import (
    TOPICS_PER_PAGE,
    TopicList,
    list_new_topics,
    list_topics,
)

# PostBlock must stay importable from here: page blocks cached before this package existed
# (in Redis, for up to a day) were pickled as forums.selectors.PostBlock.
from forums.selectors.topic_pages import (
    PAGE_CACHE_SECONDS,
    TOPIC_CACHE_SECONDS,
    PostBlock,
    PostRow,
    ReactionButton,
    cached_fragment,
    get_topic,
    page_blocks,
    page_key,
    summary_block,
    topic_page,
)

__all__ = [
    "PAGE_CACHE_SECONDS",
    "TOPICS_PER_PAGE",
    "TOPIC_CACHE_SECONDS",
    "PostBlock",
    "PostRow",
    "ReactionButton",
    "TopicList",
    "cached_fragment",
    "get_category",
    "get_post",
    "get_topic",
    "list_categories",
    "list_moderation_log",
    "list_new_topics",
    "list_open_reports",
    "list_revisions",
    "list_topic_posts_for_split",
    "list_topics",
    "moveable_categories",
    "page_blocks",
    "page_key",
    "summary_block",
    "topic_page",
]
