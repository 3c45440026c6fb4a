"""Light pages for slow and costly links: every main page, with realistic content, stays under
60 KB of HTML and 30 KB of compressed CSS + JavaScript, and loads nothing from another site.
Static files are compressed and fingerprinted, and cached for a year."""

import gzip
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

from tests.browser import seed_content

HTML_LIMIT = 60 * 1024
ASSETS_LIMIT = 30 * 1024  # gzip-compressed, as whitenoise serves them
SIGNED_OUT_PAGES = {"sign-in", "sign-up"}
# Elements whose address the browser loads by itself (a plain <a href> is only a link).
LOADED = {
    "link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src",
    "video": "src", "audio": "src", "embed": "src", "object": "data", "form": "action",
}  # fmt: skip


class Resources(HTMLParser):
    """What a page makes the browser fetch: stylesheets, scripts, and every other address."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and "stylesheet" in (values.get("rel") or "").split():
            self.stylesheets.append(values.get("href") or "")
        if tag == "script" and values.get("src"):
            self.scripts.append(values["src"])
        if tag in LOADED and values.get(LOADED[tag]):
            self.loaded.append(values[LOADED[tag]])
        if values.get("srcset"):
            self.loaded += [part.split()[0] for part in values["srcset"].split(",") if part]


def other_site(address: str) -> bool:
    """True for an address on another host (data: URIs and paths on this site are fine)."""
    parts = urlsplit(address.strip())
    if parts.scheme == "data":
        return False
    return bool(parts.netloc) and parts.hostname not in ("testserver",)


def compressed_size(url: str) -> int:
    path = url.split("?", 1)[0]
    assert path.startswith(settings.STATIC_URL) or path.startswith("/" + settings.STATIC_URL), url
    relative = path.split(settings.STATIC_URL, 1)[1]
    found = finders.find(relative)
    assert found, f"{url} is referenced but no static file has that name"
    with open(found, "rb") as source:
        return len(gzip.compress(source.read(), compresslevel=9))


def test_other_sites_are_recognised():
    assert other_site("https://cdn.example.com/x.js")
    assert other_site("//fonts.example.net/font.css")
    assert not other_site("/static/css/site.css")
    assert not other_site("data:,")
    assert not other_site("http://testserver/static/x.css")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_main_page_is_light_and_loads_nothing_from_other_sites(client, language):
    content = seed_content()
    problems, sizes = [], []

    for name, url in content["urls"].items():
        client.logout()  # which forgets every cookie, the language one too
        if name not in SIGNED_OUT_PAGES:
            client.force_login(content["moderator"], backend=settings.AUTHENTICATION_BACKENDS[0])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{name} ({url}): {response.status_code}"
        assert f'<html lang="{language}"' in response.content.decode()[:300], name
        resources = Resources()
        resources.feed(response.content.decode())
        html = len(response.content)
        assets = sum(compressed_size(u) for u in resources.stylesheets + resources.scripts)
        sizes.append((name, html, assets))
        if html > HTML_LIMIT:
            problems.append(f"{name} ({url}): {html / 1024:.1f} KB of HTML")
        if assets > ASSETS_LIMIT:
            problems.append(f"{name} ({url}): {assets / 1024:.1f} KB of CSS + JS, compressed")
        problems += [
            f"{name} loads {a} from another site" for a in resources.loaded if other_site(a)
        ]

    print(f"\n{language}: page, HTML bytes, CSS + JS gzip bytes")
    for name, html, assets in sorted(sizes, key=lambda row: -row[1]):
        print(f"  {name:<18}{html:>8}{assets:>8}")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic as production runs it (compressed, fingerprinted) into a fresh folder,
    once for the tests below (it takes seconds)."""
    tmp_path = tmp_path_factory.mktemp("staticfiles")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=storages, WHITENOISE_USE_FINDERS=False, DEBUG=False
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_production_stores_static_files_compressed_and_fingerprinted():
    import subprocess
    import sys

    from tests.chat.live import ROOT, base_env

    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    env = base_env(STATIC_FROM_SOURCE="0", DJANGO_SETTINGS_MODULE="network.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip

    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_collectstatic_writes_fingerprinted_gzip_and_brotli_copies(collected):
    sheets = sorted((collected / "css").glob("site.*.css"))

    assert sheets, "no fingerprinted copy of css/site.css"
    fingerprinted = sheets[0]
    assert fingerprinted.with_name(fingerprinted.name + ".gz").exists()
    assert fingerprinted.with_name(fingerprinted.name + ".br").exists()
    assert (collected / "staticfiles.json").exists()


def test_whitenoise_serves_fingerprinted_files_for_a_year_and_compressed(collected):
    from django.templatetags.static import static

    with override_settings(
        STATIC_ROOT=collected,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        url = static("css/site.css")
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")

        assert url != "/static/css/site.css", "the page would not name a fingerprinted file"
        assert response.status_code == 200
        cache = dict(
            part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",")
        )
        assert int(cache["max-age"]) >= 365 * 24 * 3600 and "immutable" in cache
        assert response["Content-Encoding"] == "br"
