"""Member-written Markdown to safe HTML, done once when the text is saved.

markdown-it-py's `js-default` preset keeps raw HTML off (its default preset lets it through);
nh3 then sanitises with a strict allowlist, so even a parser bug cannot let markup through.
Images from other sites would reveal every reader's address to that site, so only images
uploaded here (under MEDIA_URL) display; others become plain links.
"""

from html import escape

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
ALLOWED_CLASSES = {"a": {"mention"}}


def _is_local_media(src: str) -> bool:
    media = "/" + settings.MEDIA_URL.lstrip("/")
    return src.startswith(media) and "//" not in src and "\\" not in src


def _render_image(self, tokens, idx, options, env) -> str:  # markdown-it renderer signature
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    if _is_local_media(src):
        return f'<img src="{escape(src)}" alt="{escape(alt)}">'
    # A remote image is shown as a link to it, never loaded by the reader's browser.
    label = alt or src
    return f'<a href="{escape(src)}">{escape(label)}</a>'


def _parser(*, inline_only: bool = False) -> MarkdownIt:
    parser = MarkdownIt("js-default", {"breaks": True})
    if inline_only:
        parser.disable(["heading", "lheading", "table", "hr", "image"])
    else:
        parser.enable("table")
    parser.add_render_rule("image", _render_image)
    return parser


_FULL = _parser()
_LITE = _parser(inline_only=True)


def sanitise_html(html: str) -> str:
    """Keep only the allowlisted tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        allowed_classes=ALLOWED_CLASSES,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown (posts, bios, descriptions) to sanitised HTML."""
    return sanitise_html(_FULL.render(text or ""))


def render_markdown_lite(text: str) -> str:
    """Chat-sized Markdown: emphasis, code, links and lists; no headings, tables or images."""
    return sanitise_html(_LITE.render(text or ""))
