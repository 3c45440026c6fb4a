"""Forum structure and content.

Categories come from the taxonomy's default list and are edited by staff. Posts carry a
per-topic `number`, so page N of a topic is `number BETWEEN a AND b` (an index range, never an
OFFSET scan), and their Markdown is rendered to sanitised HTML once, when saved.
Counters (`post_count`, `last_post_at` …) are kept by the services and rebuilt by the
`rebuild_forum_counters` command.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

POSTS_PER_PAGE = 20
MAX_TITLE = 200
MAX_BODY = 30_000

# Paths under /forums/ that are not categories: a category may not take these slugs.
RESERVED_SLUGS = {"t", "p", "search", "new", "moderation", "uploads", "feed", "tags"}

# Cached topic rows carry their category (who may read it): any change to a category makes
# them all stale by moving this generation on.
CATEGORIES_GENERATION_KEY = "forums:categories-generation"


def categories_changed() -> None:
    """Make every cached topic row stale (now, and again once the change is committed)."""

    def bump() -> None:
        try:
            cache.incr(CATEGORIES_GENERATION_KEY)
        except ValueError:
            cache.set(CATEGORIES_GENERATION_KEY, 1, None)

    bump()
    transaction.on_commit(bump)


def topic_cache_key(topic_id: int) -> str:
    return f"forums:topic:{topic_id}"


def forget_topics(topic_ids: Iterable[int]) -> None:
    """Drop cached topic rows: call after any change to a topic (now, and once committed)."""
    keys = [topic_cache_key(topic_id) for topic_id in topic_ids]

    def drop() -> None:
        cache.delete_many(keys)

    drop()
    transaction.on_commit(drop)


class Access(models.TextChoices):
    PUBLIC = "public", _("public")
    MEMBERS = "members", _("members only")
    PRIVATE = "private", _("private to a group")


class State(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("hidden by a moderator")
    DELETED = "deleted", _("deleted")


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    kind = models.SlugField(_("kind"), max_length=40, blank=True)  # a taxonomy ForumKind slug
    order = models.PositiveIntegerField(_("order"), default=0)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    access = models.CharField(
        _("who may read"), max_length=20, choices=Access, default=Access.MEMBERS
    )
    # For a private category: the cohort whose members may read it.
    cohort = models.ForeignKey(
        "profiles.Cohort", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    has_live_room = models.BooleanField(_("live chat room"), default=False)
    # Announcements speak for the platform team: members reply, only moderators open topics.
    topics_by_moderators_only = models.BooleanField(
        _("only moderators start topics"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Denormalised by the services, rebuilt by `rebuild_forum_counters`.
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_topic = models.ForeignKey(
        "Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        categories_changed()

    def get_absolute_url(self) -> str:
        return reverse("forums:category-detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        categories_changed()
        return result

    def clean(self) -> None:
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("This address is used by the forums themselves.")})
        if self.access == Access.PRIVATE and not self.cohort_id:
            raise ValidationError({"cohort": _("A private category needs the group it is for.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A category cannot be its own parent.")})

    @property
    def is_public(self) -> bool:
        return self.access == Access.PUBLIC


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


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    # Position in the topic: 1 for the opening post, 0 for the topic's summary.
    number = models.PositiveIntegerField()
    # PROTECT: a hard delete would silently cut others' threads and renumber them; accounts
    # are erased by anonymising the row instead (profiles.services), so posts stay.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    body = models.TextField(_("message"), max_length=MAX_BODY)
    html = models.TextField(editable=False)  # body rendered and sanitised at save time
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State, default=State.VISIBLE)
    # {"agree": 3, "thanks": 1}: kept by the reaction service so pages need no count query.
    reaction_counts = models.JSONField(default=dict, blank=True)
    # Filled on PostgreSQL only (title weighted A on the opening post, body B); GIN-indexed.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="one_post_per_number"),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_by_author"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("forums:post-permalink", kwargs={"post_id": self.pk})

    @property
    def is_summary(self) -> bool:
        return self.number == 0

    @property
    def is_visible(self) -> bool:
        return self.state == State.VISIBLE


class PostRevision(models.Model):
    """An earlier version of a post, kept when it is edited."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    html = models.TextField()
    # Who wrote this version and when it was replaced.
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post} (replaced {self.replaced_at:%Y-%m-%d %H:%M})"


class ReactionKind(models.TextChoices):
    AGREE = "agree", _("Agree")
    THANKS = "thanks", _("Thanks")
    INSIGHTFUL = "insightful", _("Insightful")
    QUESTION = "question", _("Same question")


REACTION_SYMBOLS = {"agree": "👍", "thanks": "🙏", "insightful": "💡", "question": "❓"}


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReactionKind)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]
        indexes = [models.Index(fields=["user", "post"], name="reaction_by_user")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class Subscription(models.Model):
    """A member watching a topic (replies) or a category (new topics)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__isnull=True) ^ models.Q(category__isnull=True),
                name="watch_topic_or_category",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="watch_topic_once"),
            models.UniqueConstraint(fields=["user", "category"], name="watch_category_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.topic_id or self.category_id}"


class ReadState(models.Model):
    """How far a member has read a topic: posts numbered above `last_read_number` are new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_read_state_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.topic_id} to {self.last_read_number}"


class ForumVisit(models.Model):
    """When a member last came to the forums, for "new since your last visit"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_visit"
    )
    # The start of the previous visit's cut-off: topics active after it are "new".
    previous_visit_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} last seen {self.last_seen_at:%Y-%m-%d %H:%M}"


class PostImage(models.Model):
    """An image uploaded for use in posts: re-encoded without metadata, served from MEDIA."""

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_images"
    )
    file = models.ImageField(upload_to="forums/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.file.name


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Harassment or abuse")
        SAFETY = "safety", _("Puts someone's safety at risk")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    detail = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            # One open report per member and post: reporting twice adds nothing.
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_member",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"


class ModerationAction(models.TextChoices):
    PIN = "pin", _("pinned")
    UNPIN = "unpin", _("unpinned")
    LOCK = "lock", _("locked")
    UNLOCK = "unlock", _("unlocked")
    HIDE_TOPIC = "hide_topic", _("hid a topic")
    UNHIDE_TOPIC = "unhide_topic", _("unhid a topic")
    DELETE_TOPIC = "delete_topic", _("deleted a topic")
    RESTORE_TOPIC = "restore_topic", _("restored a topic")
    HIDE_POST = "hide_post", _("hid a post")
    UNHIDE_POST = "unhide_post", _("unhid a post")
    DELETE_POST = "delete_post", _("deleted a post")
    RESTORE_POST = "restore_post", _("restored a post")
    EDIT_POST = "edit_post", _("edited someone's post")
    MOVE = "move", _("moved a topic")
    SPLIT = "split", _("split posts into a new topic")
    SUMMARY = "summary", _("wrote the summary")
    DISMISS_REPORT = "dismiss_report", _("dismissed a report")


class ModerationLogEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ModerationAction)
    reason = models.TextField(blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()}"
