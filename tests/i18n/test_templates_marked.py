"""Every word a template shows goes through a translation tag.

The scanner blanks out what cannot hold untranslated prose ({# #} and {% comment %},
{% blocktranslate %} blocks, every other {% %} tag and {{ }} variable, <script> and <style>
blocks, HTML comments and tags) and fails on any remaining run of text with a letter in it,
naming the file and line. It also reads the attributes people see or hear (placeholder,
title, alt, aria-label, aria-description, aria-roledescription, aria-valuetext, and the
value of submit, reset and button inputs, and the data-text-*, data-label-*, data-kind-* and
data-*-text attributes scripts read their texts from) and the literal strings templates can print
(`|default:"…"`, `|yesno:"…"`, `{% firstof … "…" %}`).
"""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# Runs with letters in them that are not words of any language, so need no translation. Keep
# this list short: every entry is shown to every reader in every language as written.
ALLOWED = {
    "SE4U",  # the programme's name, the same in every language
}

SPOKEN_ATTRIBUTES = {
    "placeholder",
    "title",
    "alt",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
}
BUTTON_INPUT_TYPES = {"submit", "reset", "button"}
# Texts the scripts show come from data attributes (data-text-typing, data-label-vote, …).
SCRIPT_TEXT_ATTRIBUTE = re.compile(r"data-(?:text|label|kind)(?:-[\w-]+)?|data-[\w-]+-text")

# Blanked in this order; each keeps its line breaks so line numbers stay true.
SKIPPED = [
    re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.DOTALL),
    re.compile(r"{#.*?#}"),
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.DOTALL),
]
DJANGO_CODE = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HTML_TAG = re.compile(r"<[a-zA-Z!/][^>]*>")
ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
TAG_NAME = re.compile(r"<\s*([a-zA-Z][\w-]*)")
PRINTED_LITERAL = re.compile(
    r"""\|\s*(?:default|default_if_none|yesno)\s*:\s*(?:"([^"]*)"|'([^']*)')"""
    r"""|{%\s*firstof\b[^%]*?(?:"([^"]*)"|'([^']*)')"""
)


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _line(source: str, offset: int) -> int:
    return source.count("\n", 0, offset) + 1


def _has_words(text: str) -> bool:
    text = html.unescape(text)
    for allowed in ALLOWED:
        text = re.sub(rf"(?<!\w){re.escape(allowed)}(?!\w)", " ", text)
    return any(character.isalpha() for character in text)


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) for each piece of human text outside translation tags in `source`."""
    found: list[tuple[int, str]] = []
    for match in PRINTED_LITERAL.finditer(source):
        literal = next(group for group in match.groups() if group is not None)
        if _has_words(literal):
            found.append((_line(source, match.start()), literal))
    for pattern in SKIPPED:
        source = pattern.sub(_blank, source)
    source = DJANGO_CODE.sub(_blank, source)
    source = SCRIPTS.sub(_blank, source)
    source = HTML_COMMENT.sub(_blank, source)
    for tag in HTML_TAG.finditer(source):
        name_match = TAG_NAME.match(tag.group(0))
        name = name_match.group(1).lower() if name_match else ""
        attributes = {
            key.lower(): next(v for v in values if v is not None)
            for key, *values in ATTRIBUTE.findall(tag.group(0))
        }
        spoken = {
            key: value
            for key, value in attributes.items()
            if key in SPOKEN_ATTRIBUTES or SCRIPT_TEXT_ATTRIBUTE.fullmatch(key)
        }
        if name == "input" and attributes.get("type", "").lower() in BUTTON_INPUT_TYPES:
            spoken["value"] = attributes.get("value", "")
        for key, value in spoken.items():
            if _has_words(value):
                found.append((_line(source, tag.start()), f'{key}="{value.strip()}"'))
    source = HTML_TAG.sub(_blank, source)
    for number, line in enumerate(source.splitlines(), start=1):
        if _has_words(line):
            found.append((number, " ".join(line.split())))
    return sorted(found)


def template_files() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file())


def test_the_scanner_finds_text_outside_translation_tags():
    sample = "\n".join(
        [
            '{% load i18n %}<p>{% translate "Fine" %} {{ name }}</p>',
            "<h1>Hello</h1>",
            '{# a comment #}<input type="submit" value="Send">',
            '<a title="{% translate \'Fine\' %}" aria-label="Close">×</a>',
            "{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}<script>alert('x')</script>",
            '{{ value|default:"nobody" }} <img alt="" src="x.png"> SE4U · →',
            "{% comment %}Free text{% endcomment %}<b>Free text</b>",
            '<button type="submit" name="action" value="mute">{% translate \'Mute\' %}</button>',
            '<p data-text-offline="Offline" data-uploading-text="{% translate \'Wait\' %}">',
        ]
    )
    assert untranslated(sample) == [
        (2, "Hello"),
        (3, 'value="Send"'),
        (4, 'aria-label="Close"'),
        (6, "nobody"),
        (7, "Free text"),
        (9, 'data-text-offline="Offline"'),
    ]


def test_there_are_templates_to_check():
    assert len(template_files()) > 50


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_inside_translation_tags(path: Path):
    problems = untranslated(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(TEMPLATES)} has text outside translation tags:\n" + (
        "\n".join(f"  line {line}: {text}" for line, text in problems)
    )
