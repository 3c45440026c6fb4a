"""Forum categories: where topics live and who may read them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models.caching import categories_changed

# Paths under /forums/ that are not categories: a category may not take these slugs.
RESERVED_SLUGS = {"t", "p", "search", "new", "moderation", "uploads", "feed", "tags"}


class Access(models.TextChoices):
    PUBLIC = "public", _("public")
    MEMBERS = "members", _("members only")
    PRIVATE = "private", _("private to a group")


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
        # A private category is for a cohort, or for the participants of the workshop that
        # points at it (workshops.live makes those without a cohort).
        is_for_a_workshop = self.pk is not None and self.workshops.exists()
        if self.access == Access.PRIVATE and not self.cohort_id and not is_for_a_workshop:
            raise ValidationError({"cohort": _("A private category needs the group it is for.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A category cannot be its own parent.")})

    @property
    def is_public(self) -> bool:
        return self.access == Access.PUBLIC
