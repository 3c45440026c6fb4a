from django import template

from notifications import selectors
from profiles.permissions import is_member

register = template.Library()


@register.inclusion_tag("notifications/partials/badge.html", takes_context=True)
def unread_badge(context: template.Context) -> dict:
    """The unread count beside the Notifications link: one query, members only.

    Drawn on the server so readers without JavaScript see it; live.js keeps it current.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = selectors.unread_count(viewer=user) if is_member(user) else 0
    return {"unread": unread, "shown": "99+" if unread > 99 else unread}
