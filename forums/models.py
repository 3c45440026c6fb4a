"""Forum structure. Categories come from the taxonomy's default list and are edited by staff."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:category-detail", kwargs={"slug": self.slug})
