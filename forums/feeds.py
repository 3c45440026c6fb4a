"""Atom feeds of public categories and of topics in them.

Feed readers fetch without signing in, so only public categories have feeds; any other
category or topic answers 404, exactly as one that does not exist.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forums.models import Access, Category, Post, State, Topic
from taxonomy.labels import label

FEED_ITEMS = 30


class CategoryFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Category:
        category = Category.objects.filter(slug=slug, access=Access.PUBLIC).first()
        if category is None:
            raise Http404
        return category

    def title(self, category: Category) -> str:
        return label(category.name)

    def subtitle(self, category: Category) -> str:
        return label(category.description)

    def link(self, category: Category) -> str:
        return category.get_absolute_url()

    def items(self, category: Category):
        # Each topic with its opening post, newest topics first.
        return (
            Post.objects.filter(
                topic__category=category,
                topic__state=State.VISIBLE,
                number=1,
                state=State.VISIBLE,
            )
            .select_related("topic", "author")
            .order_by("-topic__created_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, post: Post) -> str:
        return post.topic.title

    def item_description(self, post: Post) -> str:
        return post.html

    def item_link(self, post: Post) -> str:
        return post.topic.get_absolute_url()

    def item_author_name(self, post: Post) -> str:
        return post.author.name

    def item_pubdate(self, post: Post):
        return post.created_at

    def item_updateddate(self, post: Post):
        return post.edited_at or post.created_at


class TopicFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, topic_id: int) -> Topic:
        topic = (
            Topic.objects.select_related("category")
            .filter(pk=topic_id, state=State.VISIBLE, category__access=Access.PUBLIC)
            .first()
        )
        if topic is None:
            raise Http404
        return topic

    def title(self, topic: Topic) -> str:
        return topic.title

    def subtitle(self, topic: Topic) -> str:
        return _("Latest posts in “%(title)s”") % {"title": topic.title}

    def link(self, topic: Topic) -> str:
        return topic.get_absolute_url()

    def items(self, topic: Topic):
        return (
            Post.objects.filter(topic=topic, state=State.VISIBLE, number__gt=0)
            .select_related("author", "topic")
            .order_by("-number")[:FEED_ITEMS]
        )

    def item_title(self, post: Post) -> str:
        return _("#%(number)d by %(name)s") % {"number": post.number, "name": post.author.name}

    def item_description(self, post: Post) -> str:
        return post.html

    def item_link(self, post: Post) -> str:
        return post.get_absolute_url()

    def item_author_name(self, post: Post) -> str:
        return post.author.name

    def item_pubdate(self, post: Post):
        return post.created_at

    def item_updateddate(self, post: Post):
        return post.edited_at or post.created_at
