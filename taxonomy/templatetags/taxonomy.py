"""{{ name|label }}: a taxonomy, forum category or expertise tag name in the reader's
language; names people typed are shown as typed (taxonomy.labels.label)."""

from django import template

from taxonomy.labels import label as translated_label

register = template.Library()


@register.filter
def label(name) -> str:
    if name is None:
        return ""
    return translated_label(str(name))
