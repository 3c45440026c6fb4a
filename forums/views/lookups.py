"""Finding what a forum URL names, as the viewer may see it.

What the viewer may not see looks like what does not exist: a 404 here, never a 403.
"""

from django.http import Http404, HttpRequest

from forums import selectors
from forums.models import Category, Post, Topic


def category_or_404(request: HttpRequest, slug: str) -> Category:
    category = selectors.get_category(viewer=request.user, slug=slug)
    if category is None:
        raise Http404  # a category you may not read looks like no category at all
    return category


def topic_or_404(request: HttpRequest, topic_id: int, page: int | None = None) -> Topic:
    """The topic with the viewer's `.rights` (and, with `page`, their reactions on it)."""
    topic = selectors.get_topic(viewer=request.user, topic_id=topic_id, page=page)
    if topic is None:
        raise Http404
    return topic


def post_or_404(request: HttpRequest, post_id: int) -> Post:
    """A post on a topic the viewer may see, with `.rights`; its text may still be hidden."""
    post = selectors.get_post(viewer=request.user, post_id=post_id)
    if post is None:
        raise Http404
    return post


def readable_post_or_404(request: HttpRequest, post_id: int) -> Post:
    """A post whose text the viewer may read: a hidden or deleted one only for moderators."""
    post = post_or_404(request, post_id)
    if not post.rights.can_see_content(post):
        raise Http404
    return post
