"""Topics and their tags.

A topic's posts are numbered from 1, so its page N is a range of numbers (see `page_of`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from forums.models.categories import Category

POSTS_PER_PAGE = 20
MAX_TITLE = 200


class State(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("hidden by a moderator")
    DELETED = "deleted", _("deleted")


class TopicTag(TagBase):
    """Topic tags: their own vocabulary, apart from the members' expertise tags."""

    class Meta:
        verbose_name = _("topic tag")
        verbose_name_plural = _("topic tags")


class TaggedTopic(TaggedItemBase):
    content_object = models.ForeignKey("Topic", on_delete=models.CASCADE)
    tag = models.ForeignKey(TopicTag, on_delete=models.CASCADE, related_name="tagged_topics")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_topic")
        ]


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    # Accounts are erased by anonymising the row (posts stay, by "former member"); a hard
    # delete is refused while the account has posts (Post.author is PROTECT).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_topics",
    )
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State, default=State.VISIBLE)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    tags = TaggableManager(_("tags"), through=TaggedTopic, blank=True)
    # The consolidated reply written by a moderator or facilitator: a post numbered 0.
    summary = models.OneToOneField(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Denormalised by the services, rebuilt by `rebuild_forum_counters`.
    last_number = models.PositiveIntegerField(default=0, editable=False)  # numbering counter
    post_count = models.PositiveIntegerField(default=0, editable=False)  # visible posts
    last_post_at = models.DateTimeField(default=timezone.now, editable=False)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Bumped by every change that alters how the topic's pages look to anyone: it is part
    # of the key under which rendered pages are cached.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(
                "category",
                "state",
                models.F("is_pinned").desc(),
                models.F("last_post_at").desc(),
                models.F("id").desc(),
                name="topic_list",
            ),
            models.Index(models.F("last_post_at").desc(), name="topic_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:topic-detail", kwargs={"topic_id": self.pk, "slug": self.slug})

    def page_url(self, page: int) -> str:
        url = self.get_absolute_url()
        return url if page <= 1 else f"{url}?page={page}"

    @property
    def page_count(self) -> int:
        return max(1, -(-self.last_number // POSTS_PER_PAGE))

    @property
    def reply_count(self) -> int:
        return max(0, self.post_count - 1)


def topic_slug(title: str) -> str:
    return slugify(title)[:80].strip("-") or "topic"


def page_of(number: int) -> int:
    return max(1, (number - 1) // POSTS_PER_PAGE + 1)
