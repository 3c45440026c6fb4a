"""Bidirectional isolation for what members write, where a template cannot add the markup.

In `{% blocktranslate with name=author.name|bdi %}Written by {{ name }}{% endblocktranslate %}`
the name arrives isolated in <bdi>, so an Arabic name in an English sentence (or the reverse)
keeps its own direction without changing the sentence translators have (no <bdi> in msgids).
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bdi(value: object) -> SafeString:
    """`value`, escaped, inside <bdi>; nothing for an empty value."""
    if value in (None, ""):
        return SafeString("")
    return format_html("<bdi>{}</bdi>", value)
