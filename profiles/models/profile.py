"""The profile: its fields, their visibility, expertise tags and languages."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class Visibility(models.IntegerChoices):
    """Who may see a profile field; a higher level is seen by fewer people."""

    EVERYONE = 0, _("everyone, including visitors")
    MEMBERS = 1, _("members")
    CONNECTIONS = 2, _("my connections")
    ONLY_ME = 3, _("only me")


class OpenTo(models.TextChoices):
    MENTORING = "mentoring", _("mentoring")
    JOINT_SUBMISSIONS = "joint_submissions", _("joint submissions")
    SPEAKING = "speaking", _("speaking")


def _visibility(label: str, default: int = Visibility.MEMBERS) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("who sees %(field)s") % {"field": label}, choices=Visibility, default=default
    )


class ExpertiseTag(TaggedItemBase):
    """A profile's expertise tag: a direct foreign key (not taggit's generic one), so the
    directory's tag filters are plain indexed joins."""

    content_object = models.ForeignKey(
        "Profile", on_delete=models.CASCADE, related_name="expertise_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_profile")
        ]
        indexes = [models.Index(fields=["tag", "content_object"])]


class Profile(models.Model):
    """What a member tells others about themselves; who sees which field is in profiles.privacy.

    The display name stays on User (allauth and every app read it there); it is always shown
    to whoever may see the member at all.
    """

    # The fields whose visibility a member chooses, in the order the edit page shows them.
    PRIVATE_FIELDS = (
        "organisation",
        "stakeholder_type",
        "country",
        "expertise",
        "interests",
        "languages",
        "bio",
        "avatar",
        "links",
        "cohorts",
        "open_to",
    )

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_type = models.ForeignKey(
        "taxonomy.StakeholderType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder type"),
    )
    country = CountryField(_("country"), blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    expertise = TaggableManager(_("expertise"), blank=True, through=ExpertiseTag)
    clusters = models.ManyToManyField(
        "taxonomy.Cluster", blank=True, related_name="+", verbose_name=_("review clusters")
    )
    protocols = models.ManyToManyField(
        "taxonomy.Protocol", blank=True, related_name="+", verbose_name=_("Protocols")
    )
    bio = models.TextField(_("about me"), max_length=5000, blank=True)
    # Rendered and sanitised once on save (network.markdown), never at read time.
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(_("photo"), upload_to="avatars/", blank=True)
    avatar_small = models.ImageField(upload_to="avatars/", blank=True, editable=False)
    links = models.JSONField(_("links"), default=list, blank=True)
    open_to = models.JSONField(_("open to"), default=list, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    preferred_language = models.CharField(
        _("language for emails"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # Hidden means hidden everywhere: directory, search, counts, map, feeds, chat presence
    # (where only the member's connections still see them).
    hidden_from_directory = models.BooleanField(_("hide me from the directory"), default=False)

    organisation_visibility = _visibility(_("my organisation"))
    stakeholder_type_visibility = _visibility(_("my stakeholder type"))
    country_visibility = _visibility(_("my country and city"))
    expertise_visibility = _visibility(_("my expertise"))
    interests_visibility = _visibility(_("my clusters and Protocols of interest"))
    languages_visibility = _visibility(_("the languages I speak"))
    bio_visibility = _visibility(_("my bio"))
    avatar_visibility = _visibility(_("my photo"))
    links_visibility = _visibility(_("my links"))
    cohorts_visibility = _visibility(_("my training cohorts"))
    open_to_visibility = _visibility(_("what I am open to"))

    # Full-text search (PostgreSQL): one vector per field, so a hidden organisation or bio is
    # never matched for a viewer who may not see it. Kept up to date by services.
    name_search = SearchVectorField(null=True, editable=False)
    organisation_search = SearchVectorField(null=True, editable=False)
    bio_search = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        indexes = [models.Index(fields=["country", "country_visibility"])]

    def __str__(self) -> str:
        return str(self.user)


class SpokenLanguage(models.Model):
    """A language a member speaks (ISO 639-1 code; the six UN languages are offered first)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="one_row_per_language")
        ]
        indexes = [models.Index(fields=["code", "profile"])]

    def __str__(self) -> str:
        return self.code
