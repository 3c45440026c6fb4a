from django import template
from django.utils.safestring import SafeString, mark_safe

from profiles import cards, fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def member_suggestions(context: template.Context) -> SafeString:
    """ "People you may want to meet" for the signed-in member (nothing for others)."""
    request = context.get("request")
    if request is None:
        return mark_safe("")
    return fragments.suggestions_html(request)


@register.simple_tag
def member_cards(members) -> SafeString:
    """Member cards as list items (profiles.cards): {% member_cards cards %}."""
    return cards.member_cards(members)


@register.simple_tag
def facet_rows(rows) -> SafeString:
    """A facet's rows as list items (profiles.cards): {% facet_rows rows %}."""
    return cards.facet_rows(rows)
