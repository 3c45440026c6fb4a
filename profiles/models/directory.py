"""What the directory reads: one narrow, derived row per profile."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django_countries.fields import CountryField

from profiles.fields import ValueList
from profiles.models.profile import Profile


class DirectoryEntry(models.Model):
    """What the directory filters, counts, sorts and searches: one narrow row per profile.

    Derived, never edited: services.refresh_directory rewrites it from the profile, its
    user and its relations after every change to them (and `rebuild_member_search` rebuilds
    them all). Nothing here depends on who is looking: the directory applies profiles.privacy to
    these columns when it reads them, as it would to Profile's (the visibility columns keep
    their names). Reading a few narrow rows and indexes instead of the wide profile and user
    rows is what keeps an uncached directory page cheap at tens of thousands of members.
    """

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, primary_key=True, related_name="directory_entry"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # privacy.listed_q: approved, active, not erased, not hidden from the directory.
    listed = models.BooleanField(default=False)
    sort_name = models.TextField(blank=True)  # lower(display name), the directory's name order
    joined_at = models.DateTimeField()
    country = CountryField(blank=True)
    stakeholder_type = models.ForeignKey(
        "taxonomy.StakeholderType", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    stakeholder_type_visibility = models.PositiveSmallIntegerField()
    country_visibility = models.PositiveSmallIntegerField()
    expertise_visibility = models.PositiveSmallIntegerField()
    interests_visibility = models.PositiveSmallIntegerField()
    languages_visibility = models.PositiveSmallIntegerField()
    # The profile's tag ids, language codes and cluster ids, as lists: the filters test them
    # (GIN indexed on PostgreSQL) instead of joining three tables.
    tag_ids = ValueList(models.IntegerField(), default=list)
    language_codes = ValueList(models.CharField(max_length=10), default=list)
    cluster_ids = ValueList(models.IntegerField(), default=list)
    # Every facet value above with its field's visibility, one number each: what the facet
    # counts read, one list per member (see profiles.facet_keys).
    facet_keys = ValueList(models.BigIntegerField(), default=list)
    # Name, organisation and bio vectors joined, keeping only the fields any member may see
    # (privacy.ANY_MEMBER_LEVEL): what a member may find of members who are not their
    # connections, in one GIN lookup (PostgreSQL; the index is made by migration 0005).
    members_search = SearchVectorField(null=True)
    # The same at the levels of a connection and of the member themselves, only where a field
    # sits at that level (NULL: as the level below). See privacy.stored_search_vectors.
    connections_search = SearchVectorField(null=True)
    own_search = SearchVectorField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["country", "country_visibility"],
                condition=models.Q(listed=True),
                name="directory_country",
            ),
            models.Index(
                fields=["sort_name", "user"], condition=models.Q(listed=True), name="directory_name"
            ),
            models.Index(
                fields=["joined_at", "user"],
                condition=models.Q(listed=True),
                name="directory_newest",
            ),
        ]

    def __str__(self) -> str:
        return self.sort_name
