"""Translation tags never open a hole for markup.

Django does not escape what {% translate "…" %} prints, nor the sentence {% blocktranslate %}
prints (a literal in a template counts as safe, and so does its translation); it escapes only
the values put into a sentence. So translations are held to their English: they may add no
quote, angle bracket, ampersand or tag, and attributes holding translated text are
double-quoted (an apostrophe, as in French "l'équipe", may then appear anywhere).
"""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from tests.i18n.test_catalogues import LANGUAGES, po
from tests.i18n.test_templates_marked import TEMPLATES, template_files

TAG = re.compile(r"</?\s*([a-zA-Z][\w-]*)")
MARKUP_CHARACTERS = '"<>&'
SINGLE_QUOTED_TRANSLATION = re.compile(
    r"""[\w-]+\s*=\s*'[^']*{%\s*(?:translate|trans|blocktrans)"""
)


def render(source: str, **context) -> str:
    return Template("{% load i18n %}" + source).render(Context(context))


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_bring_no_markup_of_their_own(language):
    added = []
    for entry in po(language).translated_entries():
        english = entry.msgid + (entry.msgid_plural or "")
        forms = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        for form in forms:
            extra_tags = set(TAG.findall(form)) - set(TAG.findall(english))
            extra = [c for c in MARKUP_CHARACTERS if form.count(c) > english.count(c)]
            if extra_tags or extra:
                added.append(f"{entry.msgid!r} → {form!r}")
    assert not added, f"{language}: translations adding {MARKUP_CHARACTERS} or tags:\n" + (
        "\n".join(added[:10])
    )


def test_attributes_holding_translated_text_are_double_quoted():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in template_files()
        for match in SINGLE_QUOTED_TRANSLATION.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


def test_values_in_a_translated_sentence_are_escaped():
    page = render(
        "{% blocktranslate with name=name %}Signed in as <bdi>{{ name }}</bdi>"
        "{% endblocktranslate %}",
        name='<img src=x onerror="alert(1)">',
    )

    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_members_name_stays_text_in_every_language(client_as, language):
    from tests.factories import UserFactory

    member = UserFactory(display_name='<script>alert("x")</script>')
    client = client_as(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get("/").content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_rendering_in_arabic_keeps_the_sentence_and_escapes_the_value():
    with translation.override("ar"):
        page = render(
            "{% blocktranslate with name=name %}Signed in as <bdi>{{ name }}</bdi>"
            "{% endblocktranslate %}",
            name="<b>Amina</b>",
        )

    assert "&lt;b&gt;Amina&lt;/b&gt;" in page and "<b>" not in page
