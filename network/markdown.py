"""Member-written Markdown to safe HTML, done once when the text is saved.

markdown-it-py's `js-default` preset keeps raw HTML off (its default preset lets it through);
nh3 then sanitises with a strict allowlist, so even a parser bug cannot let markup through.
Images from other sites would reveal every reader's address to that site, so only images
uploaded here (under MEDIA_URL) display; others become plain links.

`@username` is a mention: rendered as a link when the caller's `mention_url` resolves the name
(the caller decides who may be mentioned), as plain text otherwise; `find_mentions` lists the
names a text mentions, ignoring code and links.
"""

import re
from collections.abc import Callable
from html import escape

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},  # classes: only those in ALLOWED_CLASSES
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
    if not src.startswith(media) or "//" in src or "\\" in src:
        return False
    # No way out of the media folder: "/media/../x" would load another path on this site.
    return ".." not in src and "%2e" not in src.lower()


def _render_image(self, tokens, idx, options, env) -> str:  # markdown-it renderer signature
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    if _is_local_media(src):
        return f'<img src="{escape(src)}" alt="{escape(alt)}">'
    # A remote image is shown as a link to it, never loaded by the reader's browser.
    label = alt or src
    return f'<a href="{escape(src)}">{escape(label)}</a>'


# Django usernames are word characters plus . + - (and @, which cannot be mentioned); a
# mention never ends on punctuation, so "@amina." mentions "amina".
_MENTION = re.compile(r"\w(?:[\w.+-]*\w)?")
MentionResolver = Callable[[str], str | None]


def _mention_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "@" or state.linkLevel > 0:
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_.+-@/"):
        return False  # an email address or a path, not a mention
    match = _MENTION.match(state.src, pos + 1)
    if match is None:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.meta = {"username": match.group(0)}
    state.pos = match.end()
    return True


def _render_mention(self, tokens, idx, options, env) -> str:  # markdown-it renderer signature
    username = tokens[idx].meta["username"]
    resolve = env.get("mention_url") if env else None
    url = resolve(username) if resolve else None
    if url:
        return f'<a class="mention" href="{escape(url)}">@{escape(username)}</a>'
    return f"@{escape(username)}"


def _parser(*, inline_only: bool = False) -> MarkdownIt:
    parser = MarkdownIt("js-default", {"breaks": True})
    if inline_only:
        parser.disable(["heading", "lheading", "table", "hr", "image"])
    else:
        parser.enable("table")
    parser.add_render_rule("image", _render_image)
    parser.inline.ruler.after("text", "mention", _mention_rule)
    parser.add_render_rule("mention", _render_mention)
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


def render_markdown(text: str, *, mention_url: MentionResolver | None = None) -> str:
    """Markdown (posts, bios, descriptions) to sanitised HTML.

    `mention_url(username)` returns the link for a mention the author may make, or None to
    leave it as text; without it every mention stays text.
    """
    return sanitise_html(_FULL.render(text or "", {"mention_url": mention_url}))


def render_markdown_lite(text: str, *, mention_url: MentionResolver | None = None) -> str:
    """Chat-sized Markdown: emphasis, code, links and lists; no headings, tables or images."""
    return sanitise_html(_LITE.render(text or "", {"mention_url": mention_url}))


def find_mentions(text: str) -> list[str]:
    """The usernames `text` mentions, in order, once each; code and link labels excluded."""
    found: dict[str, None] = {}
    stack = list(_FULL.parse(text or "", {}))
    while stack:
        token = stack.pop(0)
        if token.type == "mention":
            found.setdefault(token.meta["username"], None)
        elif token.children:
            stack[0:0] = token.children
    return list(found)
