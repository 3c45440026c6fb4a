"""The rule for rendering one member: see() gives a MemberView holding only what the viewer
may see, or None; and the addresses of member pages."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

from profiles.languages import LANGUAGE_CHOICES
from profiles.models import (
    MembershipStatus,
    OpenTo,
    Profile,
    User,
)
from profiles.privacy.viewers import AnyUser, Viewer, level_for, viewer_for


@dataclass
class MemberView:
    """What one viewer may see of one member: a field the viewer may not see is empty."""

    user: User
    profile: Profile
    level: int
    is_self: bool
    is_connected: bool
    is_hidden: bool
    visible: frozenset[str]
    organisation: str = ""
    stakeholder_type: Any = None
    country: Any = None
    city: str = ""
    expertise: list = field(default_factory=list)
    clusters: list = field(default_factory=list)
    protocols: list = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    bio_html: str = ""
    avatar_url: str = ""
    avatar_small_url: str = ""
    links: list[str] = field(default_factory=list)
    cohorts: list = field(default_factory=list)
    open_to: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def username(self) -> str:
        return self.user.username

    def get_absolute_url(self) -> str:
        return member_url(self.user.username)

    def __getitem__(self, name: str) -> Any:
        # Templates look a name up by subscript before trying the attribute: answering it
        # spares the failed lookup on every field of every card of a directory page.
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    @property
    def language_labels(self) -> list[str]:
        names = dict(LANGUAGE_CHOICES)
        return [str(names.get(code, code)) for code in self.languages]

    @property
    def open_to_labels(self) -> list[str]:
        return [str(OpenTo(value).label) for value in self.open_to if value in OpenTo.values]


_MEMBER_URLS: dict[tuple, str] = {}
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


def member_url(username: str) -> str:
    """User.get_absolute_url, without a reverse() per member: the address is reversed once
    (per URL configuration and script prefix) and the username put in its place, quoted as
    reverse() quotes it."""
    return member_urls()(username)


def member_urls() -> Callable[[str], str]:
    """member_url for a whole list: the URL configuration and script prefix (request-local
    state) are read once."""
    key = (get_script_prefix(), get_urlconf())
    template = _MEMBER_URLS.get(key)
    if template is None:
        template = reverse("profiles:member-detail", kwargs={"username": "USERNAME"})
        _MEMBER_URLS[key] = template
    head, tail = template.rsplit("USERNAME", 1)
    return partial(_member_url, head=head, tail=tail)


def _member_url(username: str, head: str, tail: str) -> str:
    if username in (".", "..") or "/" in username:
        return reverse("profiles:member-detail", kwargs={"username": username})
    return f"{head}{quote(username, safe=_URL_SAFE)}{tail}"


def _exists_for(viewer: Viewer, user: User, profile: Profile) -> bool:
    """May the viewer know this member exists at all (their page, their name)?"""
    if viewer.id is not None and viewer.id == user.pk:
        return True
    if viewer.is_moderator:
        return True  # moderators act on reports about any account, hidden or not
    if user.status != MembershipStatus.APPROVED or not user.is_active or user.erased_at:
        return False
    if user.pk in viewer.blocked_by_ids:
        return False
    if profile.hidden_from_directory:
        return user.pk in viewer.connected_ids
    return True


# What a directory card or a suggestion shows (profiles/cards.py);
# selectors prefetch exactly these relations.
CARD_FIELDS = frozenset({"organisation", "stakeholder_type", "country", "expertise", "avatar"})


def see(
    viewer: AnyUser | Viewer,
    profile: Profile,
    *,
    only: frozenset[str] | None = None,
    expertise: list | None = None,
) -> MemberView | None:
    """What `viewer` may see of the member owning `profile`; None: as if they did not exist.

    Reads related rows (tagged expertise with its tags, clusters, languages, cohorts) only
    for fields the viewer may see and `only` asks for, so a selector that prefetched them
    renders a whole list with no further queries. `expertise`: the profile's tags, when the
    selector read them itself (they are shown only if the viewer may see them).
    """
    viewer = viewer_for(viewer)
    user = profile.user
    if not _exists_for(viewer, user, profile):
        return None
    level = level_for(viewer, user.pk)
    visible = frozenset(
        name
        for name in Profile.PRIVATE_FIELDS
        if getattr(profile, f"{name}_visibility") <= level and (only is None or name in only)
    )
    view = MemberView(
        user=user,
        profile=profile,
        level=level,
        is_self=viewer.id == user.pk,
        is_connected=user.pk in viewer.connected_ids,
        is_hidden=profile.hidden_from_directory,
        visible=visible,
    )
    if "organisation" in visible:
        view.organisation = profile.organisation
    if "stakeholder_type" in visible:
        view.stakeholder_type = profile.stakeholder_type
    country = profile.country if "country" in visible else None  # a new Country each read
    if country:
        view.country = country
        view.city = profile.city
    if "expertise" in visible:
        # Through the tagged rows (selectors prefetch them with their tags): taggit's own
        # manager builds a queryset per profile even when prefetched.
        if expertise is not None:
            tags = list(expertise)
        else:
            tags = [item.tag for item in profile.expertise_items.all()]
        view.expertise = sorted(tags, key=lambda tag: tag.name.lower())
    if "interests" in visible:
        view.clusters = list(profile.clusters.all())
        view.protocols = list(profile.protocols.all())
    if "languages" in visible:
        view.languages = sorted(item.code for item in profile.languages.all())
    if "bio" in visible:
        view.bio_html = profile.bio_html
    if "avatar" in visible and profile.avatar:
        view.avatar_url = profile.avatar.url
        view.avatar_small_url = profile.avatar_small.url if profile.avatar_small else ""
    if "links" in visible:
        view.links = list(profile.links)
    if "cohorts" in visible:
        view.cohorts = list(user.cohorts.all())
    if "open_to" in visible:
        view.open_to = list(profile.open_to)
    return view
