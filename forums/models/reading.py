"""What each member follows and how far they have read."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from forums.models.categories import Category
from forums.models.topics import Topic


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
