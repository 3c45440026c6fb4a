"""A reader's language: the browser's on a first visit, then the switcher on every page; a
member's choice is kept in their profile and follows them to every browser they sign in on."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from profiles.models import Profile
from tests import factories

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_a_first_visit_follows_the_browsers_preference(client):
    response = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"})

    assert html_lang(response) == "fr"
    assert "Rejoindre" in response.content.decode() or "Se connecter" in response.content.decode()


def test_a_browser_in_an_unoffered_language_gets_english(client):
    assert html_lang(client.get("/", headers={"accept-language": "de-DE,de"})) == "en"


def test_chinese_browsers_get_simplified_chinese(client):
    assert html_lang(client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})) == "zh-hans"


def test_every_page_has_a_switcher_naming_each_language_in_itself(client):
    page = client.get("/forums/").content.decode()

    switcher = re.search(r'<form[^>]*class="language-switcher".*?</form>', page, re.S).group(0)
    assert f'action="{reverse("set_language")}"' in switcher and 'method="post"' in switcher
    assert 'name="csrfmiddlewaretoken"' in switcher
    assert '<input name="next" type="hidden" value="/forums/">' in switcher
    options = re.findall(r'<option value="([^"]+)" lang="([^"]+)" dir="(\w+)"[^>]*>([^<]+)<', page)
    assert [(code, name) for code, _lang, _dir, name in options] == [
        ("en", "English"),
        ("fr", "Français"),
        ("es", "Español"),
        ("ar", "العربية"),
        ("zh-hans", "中文"),
        ("ru", "Русский"),
    ]
    assert ("ar", "ar", "rtl", "العربية") in options
    assert all(direction == "ltr" for code, _l, direction, _n in options if code != "ar")


def test_switching_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/forums/"})

    assert response.status_code == 302 and response["Location"] == "/forums/"
    assert response.cookies[COOKIE].value == "ar"
    assert response.cookies[COOKIE]["httponly"] and response.cookies[COOKIE]["samesite"] == "Lax"
    page = client.get("/forums/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_switching_never_sends_a_reader_to_another_site(client):
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://evil.example/"}
    )

    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_switching_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    assert response.status_code == 403
    assert Profile.objects.get(user=member).preferred_language == "en"


def test_switching_is_a_post(client):
    assert client.get(reverse("set_language"), {"language": "fr"}).status_code == 405


def test_a_members_switch_is_kept_in_their_profile(client_as, member):
    client_as(member).post(reverse("set_language"), {"language": "es", "next": "/"})

    assert Profile.objects.get(user=member).preferred_language == "es"


def test_an_unknown_language_changes_nothing(client_as, member):
    response = client_as(member).post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert COOKIE not in response.cookies
    assert Profile.objects.get(user=member).preferred_language == "en"


def test_signing_in_on_another_browser_brings_back_the_members_language(client):
    member = factories.UserFactory(email="amina@example.org")
    member.set_password("a long passphrase")
    member.save()
    Profile.objects.filter(user=member).update(preferred_language="fr")

    response = client.post(
        reverse("account_login"),
        {"login": "amina@example.org", "password": "a long passphrase"},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "fr"
    assert html_lang(client.get("/", headers={"accept-language": "en"})) == "fr"


def test_an_applicant_is_written_to_in_the_language_they_signed_up_in(client):
    client.cookies[COOKIE] = "es"

    client.post(
        reverse("account_signup"),
        {
            "email": "lucia@example.org",
            "display_name": "Lucía",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )

    assert Profile.objects.get(user__email="lucia@example.org").preferred_language == "es"


def test_choosing_a_language_in_the_profile_switches_the_pages_too(client_as, member):
    client = client_as(member)
    form = {"display_name": "Amina Okafor", "time_zone": "UTC", "preferred_language": "ru"}
    form.update({f"{field}_visibility": "1" for field in Profile.PRIVATE_FIELDS})

    response = client.post("/members/me/edit/", form)

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "ru"
    assert html_lang(client.get("/")) == "ru"


def test_the_default_site_name_is_translated_and_a_chosen_one_shown_as_set(client, settings):
    from django.utils import translation

    with translation.override("fr"):
        default_in_french = translation.gettext("SE4U Stakeholder Network")
    client.cookies[COOKIE] = "fr"
    assert f'<a class="brand" href="/">{default_in_french}</a>' in client.get("/").content.decode()

    settings.SITE_NAME = "Red de Actores"
    assert '<a class="brand" href="/">Red de Actores</a>' in client.get("/").content.decode()
