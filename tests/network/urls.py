"""Every named URL of the site, with placeholder arguments, for whole-site checks."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

PLACEHOLDERS = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "0" * 32}


def _walk(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def named_urls(exclude_namespaces: tuple[str, ...] = ("admin",)) -> dict[str, str]:
    """{url name: a concrete path} for every named route that can be reversed."""
    found = {}
    for name, pattern in _walk(get_resolver()):
        if name.split(":")[0] in exclude_namespaces:
            continue
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {
            key: PLACEHOLDERS.get(type(conv).__name__.replace("Converter", "").lower(), "1")
            for key, conv in converters.items()
        }
        try:
            found[name] = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
        except NoReverseMatch:
            try:  # regex routes (allauth's key links): one positional placeholder each
                groups = pattern.pattern.regex.groups
                found[name] = reverse(name, args=["x"] * groups)
            except NoReverseMatch:
                continue
    return found
