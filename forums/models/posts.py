"""Posts, their earlier versions, reactions to them and the images they show."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models.topics import State, Topic

MAX_BODY = 30_000


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
