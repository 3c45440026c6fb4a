"""The UNTOC taxonomy: review clusters, Protocols, stakeholder types, languages, regions,
expertise vocabulary. Loaded from the copy shipped in taxonomy/data and editable by staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from taxonomy.labels import label


class Status(models.TextChoices):
    SOURCED = "sourced", _("sourced")
    # Not yet checked against the official appendix: shown as provisional, never as fact.
    INDICATIVE = "indicative", _("provisional")


class OrderedTerm(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (shipped names are translated)."""
        return label(self.name)


class Protocol(OrderedTerm):
    code = models.CharField(_("code"), max_length=20, unique=True)  # "tip", "som", "firearms"
    short_name = models.CharField(_("short name"), max_length=120)
    abbreviation = models.CharField(_("abbreviation"), max_length=40)

    class Meta(OrderedTerm.Meta):
        verbose_name = _("Protocol")
        verbose_name_plural = _("Protocols")

    def __str__(self) -> str:
        return self.short_label

    @property
    def short_label(self) -> str:
        return label(self.short_name)


class Cluster(OrderedTerm):
    summary = models.TextField(_("summary"), blank=True)
    review_phase = models.PositiveSmallIntegerField(_("review phase"), null=True, blank=True)
    articles = models.JSONField(_("Convention articles"), default=list, blank=True)
    articles_status = models.CharField(max_length=20, choices=Status, default=Status.INDICATIVE)
    protocol_articles = models.JSONField(_("Protocol articles"), default=dict, blank=True)
    protocol_articles_status = models.JSONField(default=dict, blank=True)

    class Meta(OrderedTerm.Meta):
        verbose_name = _("review cluster")
        verbose_name_plural = _("review clusters")

    @property
    def is_provisional(self) -> bool:
        statuses = [self.articles_status, *self.protocol_articles_status.values()]
        return Status.INDICATIVE in statuses


class StakeholderCategory(OrderedTerm):
    note = models.TextField(_("note"), blank=True)

    class Meta(OrderedTerm.Meta):
        verbose_name = _("stakeholder category")
        verbose_name_plural = _("stakeholder categories")


class StakeholderType(OrderedTerm):
    category = models.ForeignKey(
        StakeholderCategory, on_delete=models.PROTECT, related_name="types"
    )

    class Meta(OrderedTerm.Meta):
        verbose_name = _("stakeholder type")
        verbose_name_plural = _("stakeholder types")


class Language(models.Model):
    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    native_name = models.CharField(_("native name"), max_length=60)
    direction = models.CharField(_("direction"), max_length=3, default="ltr")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return label(self.name)


class RegionalGroup(OrderedTerm):
    un_name = models.CharField(_("UN name"), max_length=120)
    abbreviation = models.CharField(_("abbreviation"), max_length=20)
    countries = models.JSONField(_("countries (ISO 3166-1 alpha-2)"), default=list)

    class Meta(OrderedTerm.Meta):
        verbose_name = _("UN regional group")
        verbose_name_plural = _("UN regional groups")


class ExpertiseGroup(OrderedTerm):
    class Meta(OrderedTerm.Meta):
        verbose_name = _("expertise group")
        verbose_name_plural = _("expertise groups")


class ExpertiseTerm(OrderedTerm):
    """A curated expertise tag; its slug is the django-taggit tag slug used on profiles."""

    group = models.ForeignKey(ExpertiseGroup, on_delete=models.PROTECT, related_name="terms")
    protocol = models.ForeignKey(
        Protocol, on_delete=models.SET_NULL, null=True, blank=True, related_name="expertise"
    )

    class Meta(OrderedTerm.Meta):
        verbose_name = _("expertise term")
        verbose_name_plural = _("expertise terms")


class ForumKind(OrderedTerm):
    class Meta(OrderedTerm.Meta):
        verbose_name = _("forum kind")
        verbose_name_plural = _("forum kinds")
