"""Right to left: Arabic pages are marked and mirrored, the stylesheets use logical
directions only, and what members write keeps its own direction inside the page's."""

import re
import tempfile
from pathlib import Path

import pytest

from tests.browser import launch

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 800}

# Physical directions that do not mirror in Arabic. Each has a logical equivalent
# (margin-inline-start, padding-inline-end, inset-inline-start, text-align: start,
# float: inline-start, border-inline-start…). A line may keep one on purpose if it says why
# in a comment containing "physical:" (say, a drawing that must not mirror).
PHYSICAL = re.compile(
    r"(?<![\w-])(?:"
    r"(?:margin|padding|border)-(?:left|right)(?:-[a-z]+)?"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
    r"|(?:left|right)"
    r")\s*:"
    r"|(?<![\w-])(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
)


def physical_directions(css: str) -> list[str]:
    found = []
    for number, line in enumerate(css.splitlines(), start=1):
        code = re.sub(r"/\*.*?\*/", "", line)
        if "physical:" in line:
            continue
        for match in PHYSICAL.finditer(code):
            found.append(f"line {number}: {match.group(0).strip()} in {line.strip()[:100]}")
    return found


def test_the_checker_finds_physical_directions_and_spares_logical_ones():
    css = """
.a { margin-left: 1rem; }
.b { padding-right: 0; border-left-color: red; }
.c { left: 0; text-align: right; float: left; border-top-right-radius: 3px; }
.d { margin-inline-start: 1rem; inset-inline-end: 0; text-align: start; float: inline-end; }
.e { scroll-padding-inline: 0; --left-gap: 1rem; }
.f { left: 0; } /* physical: the map is drawn left to right in every language */
"""
    found = physical_directions(css)

    assert [line.split(":")[0] for line in found] == ["line 2"] + ["line 3"] * 2 + ["line 4"] * 4


def test_no_stylesheet_uses_physical_left_or_right():
    sheets = sorted((ROOT / "static").rglob("*.css"))
    assert sheets, "no stylesheet found under static/"

    problems = [
        f"{sheet.relative_to(ROOT)} {problem}"
        for sheet in sheets
        for problem in physical_directions(sheet.read_text(encoding="utf-8"))
    ]

    assert not problems, "use logical properties so Arabic mirrors:\n" + "\n".join(problems)


# Text nodes in another script than the page's, outside any <bdi> or element with its own
# dir below <body> (the language menu's options name each language in itself, on purpose).
UNISOLATED = """(pattern) => {
  const script = new RegExp(pattern);
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!script.test(node.data) || parent.closest("bdi, body [dir], option, script")) continue;
    bad.push(parent.outerHTML.slice(0, 160));
  }
  return bad;
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_arabic_pages_are_right_to_left_with_the_navigation_on_the_right(demo_site):
    from playwright.sync_api import sync_playwright

    shots = Path(tempfile.mkdtemp(prefix="se4u-rtl-"))
    print(f"\nscreenshots in {shots}")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for language, direction in [("ar", "rtl"), ("en", "ltr")]:
            context = demo_site.context(
                browser, language=language, username="demo", viewport=VIEWPORT
            )
            page = context.new_page()
            for name in ("home", "topic"):
                page.goto(demo_site.url(name))
                html = page.locator("html")
                assert (html.get_attribute("lang"), html.get_attribute("dir")) == (
                    language,
                    direction,
                ), f"{name} in {language}"
                page.screenshot(path=shots / f"{name}-{language}.png", full_page=False)

                nav = page.locator(".site-header nav").first.bounding_box()
                centre = nav["x"] + nav["width"] / 2
                if direction == "rtl":
                    assert centre > VIEWPORT["width"] / 2, f"{name}: navigation at {nav}"
                else:
                    assert centre < VIEWPORT["width"] / 2, f"{name}: navigation at {nav}"
            context.close()
        browser.close()


@pytest.mark.browser
@pytest.mark.slow
def test_what_members_write_keeps_its_own_direction(demo_site):
    """An Arabic name, title, post or message on an English page, and English names and
    titles on an Arabic page, are isolated; an Arabic post reads right to left on an English
    page and an English one left to right on an Arabic page."""
    from playwright.sync_api import sync_playwright

    latin = "|".join(re.escape(text) for text in demo_site.setup["latin_content"])
    pages = ["home", "directory", "forum-index", "category", "topic", "search", "chat-room"]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for language, pattern in [("en", "[\\u0600-\\u06FF]"), ("ar", latin)]:
            context = demo_site.context(browser, language=language, username="moderator")
            page = context.new_page()
            for name in pages:
                page.goto(demo_site.url(name))
                assert page.evaluate(UNISOLATED, pattern) == [], f"{name} in {language}"
            page.goto(demo_site.url("arabic-reply"))
            directions = page.eval_on_selector_all(
                ".post-body", "(bodies) => bodies.map((b) => getComputedStyle(b).direction)"
            )
            assert "rtl" in directions and "ltr" in directions, f"topic in {language}"
            context.close()
        browser.close()
