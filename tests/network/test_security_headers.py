import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "account_login", "account_signup", "forums:category-list"]
)
def test_public_pages_hold_no_inline_script_or_style(client, name):
    html = client.get(reverse(name)).content.decode()

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.django_db
def test_the_base_page_has_landmarks_a_skip_link_and_a_language_switcher(client):
    html = client.get(reverse("home")).content.decode()

    assert '<html lang="en" dir="ltr">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert 'action="/i18n/setlang/"' in html and 'lang="ar"' in html
