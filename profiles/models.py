"""Members and membership: accounts, approval, cohorts, invitations, connections, blocks."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from profiles.fields import ValueList

# Paths under /members/ that are pages, not members: no account may take these names.
RESERVED_USERNAMES = frozenset({"me", "map", "connections", "export", "edit", "delete", "search"})


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SUSPENDED = "suspended", _("suspended")


class User(AbstractUser):
    """An account. Only an approved account is a member: see profiles.permissions."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    status = models.CharField(
        _("membership"), max_length=20, choices=MembershipStatus, default=MembershipStatus.PENDING
    )
    is_moderator = models.BooleanField(
        _("moderator"), default=False, help_text=_("Approves members, moderates forums and chat.")
    )
    is_facilitator = models.BooleanField(
        _("facilitator"), default=False, help_text=_("Runs workshops.")
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Bumped when a member loses access (logout everywhere, suspension): open sockets that
    # connected under an older epoch are closed.
    access_epoch = models.PositiveIntegerField(default=0)
    # Set when the member deleted their account: the row stays (their posts remain, credited
    # to "former member") but every personal field is erased.
    erased_at = models.DateTimeField(_("account deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["status", "date_joined"]),
            # The directory's name order (case-insensitive), walked without sorting every row.
            models.Index(Lower("display_name"), "id", name="user_name_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.erased_at is not None:
            return str(_("former member"))
        return self.display_name or self.username

    @property
    def is_approved(self) -> bool:
        return self.status == MembershipStatus.APPROVED and self.is_active

    @property
    def is_pending(self) -> bool:
        return self.status == MembershipStatus.PENDING

    def get_absolute_url(self) -> str:
        return reverse("profiles:member-detail", kwargs={"username": self.username})


class Cohort(models.Model):
    """A training cohort (an SE4U course run or workshop series)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cohorts", blank=True, verbose_name=_("members")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training cohort")
        verbose_name_plural = _("training cohorts")

    def __str__(self) -> str:
        return self.name


def new_invitation_code() -> str:
    return secrets.token_urlsafe(12)


class Invitation(models.Model):
    """A code that approves an account at sign-up: shared with a cohort, or emailed to one."""

    code = models.CharField(_("code"), max_length=64, unique=True, default=new_invitation_code)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(_("for email"), blank=True, help_text=_("Empty: anyone may use it."))
    max_uses = models.PositiveIntegerField(_("uses allowed"), default=1)
    use_count = models.PositiveIntegerField(_("times used"), default=0)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.cohort.name if self.cohort else self.email or self.code

    @property
    def is_usable(self) -> bool:
        if self.use_count >= self.max_uses:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class Connection(models.Model):
    """A connection request from one member to another; accepted, it links them both ways."""

    class State(models.TextChoices):
        PENDING = "pending", _("requested")
        ACCEPTED = "accepted", _("connected")

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_sent"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_received"
    )
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_user", "to_user"], name="one_connection_per_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_user=models.F("to_user")), name="no_self_connection"
            ),
        ]
        indexes = [models.Index(fields=["to_user", "state"])]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user} ({self.state})"


class Block(models.Model):
    """`blocker` no longer hears from `blocked`: no messages, mentions, requests or notices."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


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


class Report(models.Model):
    """A member's report of a profile, for moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("spam or advertising")
        IMPERSONATION = "impersonation", _("pretends to be someone else")
        HARASSMENT = "harassment", _("harassment or threats")
        UNSAFE = "unsafe", _("puts members at risk")
        OTHER = "other", _("something else")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_received"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.member} ({self.reason})"
