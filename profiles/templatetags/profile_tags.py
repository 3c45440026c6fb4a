from django import template

from profiles import privacy, selectors

register = template.Library()


@register.inclusion_tag("profiles/partials/suggestions.html", takes_context=True)
def member_suggestions(context: template.Context) -> dict:
    """ "People you may want to meet" for the signed-in member (nothing for others)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    viewer = privacy.viewer_for(user)
    return {"suggestions": selectors.suggest_members(viewer=viewer) if viewer.is_member else []}
