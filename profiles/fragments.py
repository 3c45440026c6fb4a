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

from profiles import privacy, selectors, services


def cache_key(request: HttpRequest, name: str, *parts: object) -> str:
    version = cache.get_or_set(services.DIRECTORY_VERSION_KEY, 1, timeout=None)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"profiles:{name}:{version}:{request.user.pk}:{get_language()}:{digest}"


def suggestions_html(
    request: HttpRequest, *, viewer: privacy.Viewer | None = None, exclude: tuple[int, ...] = ()
) -> SafeString:
    """ "People you may want to meet" for the signed-in member, rendered."""
    if not privacy.is_member(request.user):
        return mark_safe("")
    key = cache_key(request, "suggestions", exclude)
    seconds = settings.DIRECTORY_CACHE_SECONDS
    html = cache.get(key) if seconds else None
    if html is None:
        viewer = viewer or privacy.viewer_for(request.user)
        cards = selectors.suggest_members(viewer=viewer, exclude=exclude)
        html = render_to_string(
            "profiles/partials/suggestions.html", {"suggestions": cards}, request=request
        )
        if seconds:
            cache.set(key, str(html), timeout=seconds)
    return mark_safe(html)  # noqa: S308 - our own template's output
