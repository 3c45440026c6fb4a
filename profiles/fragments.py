"""Rendered pieces of member pages cached per viewer under the directory version.

Every change to who may see whom (profiles, privacy settings, connections, blocks, membership)
bumps the version (services.directory_changed), so a cached piece never outlives it.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from profiles import permissions, privacy, selectors, services
from profiles.cards import member_cards


def cache_key(request: HttpRequest, name: str, *parts: object) -> str:
    version = cache.get_or_set(services.DIRECTORY_VERSION_KEY, 1, timeout=None)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"profiles:{name}:{version}:{request.user.pk}:{get_language()}:{digest}"


def suggestions_html(
    request: HttpRequest, *, viewer: privacy.Viewer | None = None, leave_out: int | None = None
) -> SafeString:
    """ "People you may want to meet" for the signed-in member, rendered, leaving out the
    member (user id) `leave_out`: the one whose page is shown.

    The cards are chosen and cached once per viewer, one more than are shown, and that
    member is dropped here: the first cards of the others are the ones a choice without
    them would make, and a member visiting profile after profile reads their suggestions
    from the cache instead of choosing them again for each page.
    """
    if not permissions.is_member(request.user):
        return mark_safe("")
    key = cache_key(request, "suggestions")
    seconds = settings.DIRECTORY_CACHE_SECONDS
    cards = cache.get(key) if seconds else None
    if cards is None:
        viewer = viewer or privacy.viewer_for(request.user)
        chosen = selectors.suggest_members(viewer=viewer, limit=selectors.SUGGESTION_COUNT + 1)
        cards = [(view.user.pk, str(member_cards([view]))) for view in chosen]
        if seconds:
            cache.set(key, cards, timeout=seconds)
    shown = [html for user_id, html in cards if user_id != leave_out]
    # The cards were built by profiles.cards, which escapes every value it puts in.
    cards_html = mark_safe("".join(shown[: selectors.SUGGESTION_COUNT]))  # noqa: S308
    return render_to_string(
        "profiles/partials/suggestions.html", {"cards_html": cards_html}, request=request
    )
