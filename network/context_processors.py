from django.http import HttpRequest

from network.languages import site_name, switcher_choices
from profiles.permissions import is_facilitator, is_member, is_moderator


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_name": site_name(),
        "viewer_is_member": is_member(user),
        "viewer_is_moderator": is_moderator(user),
        "viewer_is_facilitator": is_facilitator(user),
        "language_choices": switcher_choices(),
    }
