"""A strict CSP holds only if no page carries inline scripts, styles or event handlers."""

import re

import pytest

from tests.network.urls import named_urls

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def inline_code_in(html: str) -> list[str]:
    found = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
        ("event handler attribute", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ]:
        match = pattern.search(html)
        if match:
            found.append(f"{name}: {match.group(0)[:80]}")
    return found


@pytest.mark.parametrize("name", sorted(n for n in named_urls() if not n.startswith("admin")))
@pytest.mark.parametrize("viewer", ["anonymous", "moderator"])
def test_no_page_carries_inline_code(name, viewer, client_as, moderator):
    client = client_as(moderator if viewer == "moderator" else None)

    response = client.get(named_urls()[name])

    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        assert inline_code_in(response.content.decode()) == []
