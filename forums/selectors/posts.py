"""Single posts: a permalink's target, an edit history, the replies offered for a split."""

from forums.models import POSTS_PER_PAGE, Post, PostRevision, Topic
from forums.permissions import topic_rights
from profiles.permissions import AnyUser


def get_post(*, viewer: AnyUser | None, post_id: int) -> Post | None:
    """A post whose topic the viewer may see, with `.rights` (its content may still be hidden:
    check `rights.can_see_content`)."""
    post = (
        Post.objects.select_related("topic__category", "topic__summary", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        return None
    post.rights = topic_rights(viewer, post.topic)
    post.topic.rights = post.rights
    if not post.rights.see:
        return None
    return post


def list_revisions(*, post: Post) -> list[PostRevision]:
    return list(post.revisions.select_related("replaced_by"))


def list_topic_posts_for_split(*, topic: Topic, page: int) -> list[Post]:
    first = (page - 1) * POSTS_PER_PAGE + 1
    return list(
        Post.objects.filter(topic=topic, number__range=(first, first + POSTS_PER_PAGE - 1))
        .select_related("author")
        .order_by("number")
    )
