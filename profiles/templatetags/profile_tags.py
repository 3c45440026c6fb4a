from django import template
from django.utils.safestring import SafeString, mark_safe

from profiles import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def member_suggestions(context: template.Context) -> SafeString:
    """ "People you may want to meet" for the signed-in member (nothing for others)."""
    request = context.get("request")
    if request is None:
        return mark_safe("")
    return fragments.suggestions_html(request)
