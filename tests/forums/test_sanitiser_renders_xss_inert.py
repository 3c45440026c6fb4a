"""Every payload in a list of known XSS vectors comes out of the post renderer inert: only
allowlisted tags and attributes, no script, no event handler, no dangerous URL."""

from html.parser import HTMLParser

import pytest

from network.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

VECTORS = [
    # Script tags and raw HTML
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<script type="text/javascript">document.cookie</script>',
    "<<script>alert(1);//<</script>",
    "<script\x20type='text/javascript'>alert(1);</script>",
    "</textarea><script>alert(1)</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # Event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="/media/x.png" onload="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<a href='#' onclick='alert(1)'>click</a>",
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    '<marquee onstart="alert(1)">x</marquee>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<svg><animate onbegin="alert(1)" attributeName="x"></animate></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    # javascript: and encoded variants in Markdown links
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](%6Aavascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[ref][x]\n\n[x]: javascript:alert(1)",
    '[click](https://ok.example "title" onclick=alert(1))',
    '[click](https://ok.example" onmouseover="alert(1))',
    # Markdown image tricks
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](/media/a.png)',
    '![x](/media/a.png" onerror="alert(1))',
    "![x](https://tracker.example/pixel.png)",
    "![x](//tracker.example/pixel.png)",
    "![x](/media/../static/evil.svg)",
    "![x](/media//evil.example/a.png)",
    "![a](/media/a.png)<img src=x onerror=alert(1)>",
    # Mixed HTML inside Markdown constructs
    "**<img src=x onerror=alert(1)>**",
    "> <script>alert(1)</script>",
    "- <a href=javascript:alert(1)>x</a>",
    "`<script>`</code><script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<!-- <script>alert(1)</script> -->",
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "@user<script>alert(1)</script>",
]

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel", "class"}
        for name, value in attrs:
            if name not in allowed or name.startswith("on") or name == "style":
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src") and value is not None:
                plain = "".join(value.split()).lower()
                if plain.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{name}={value}")
            if (
                tag == "img"
                and name == "src"
                and (not value.startswith("/media/") or ".." in value)
            ):
                self.problems.append(f"remote image {value}")
            if name == "class" and value != "mention":
                self.problems.append(f"class {value}")


def test_the_list_has_at_least_fifty_vectors():
    assert len(VECTORS) >= 50


@pytest.mark.parametrize("payload", VECTORS)
def test_a_known_xss_vector_renders_inert(payload):
    html = render_markdown(payload, mention_url=lambda name: f"/members/{name}/")

    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    assert inspector.problems == [], html
    assert "<script" not in html.lower()


def test_links_get_the_nofollow_ugc_noopener_rel():
    html = render_markdown("[site](https://example.org)")

    assert 'rel="nofollow ugc noopener"' in html


def test_an_image_from_another_site_becomes_a_link_and_is_not_loaded():
    html = render_markdown("![chart](https://tracker.example/pixel.png)")

    assert "<img" not in html
    assert 'href="https://tracker.example/pixel.png"' in html
