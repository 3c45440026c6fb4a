"""In a real browser, a new notification updates the badge and the list without reloading.

Daphne runs in its own process, so it shares the test's PostgreSQL database and Redis.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from notifications.models import Kind, Notification
from notifications.services import notify
from tests.browser import launch
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def site():
    """A Daphne process on the test database; yields its base URL."""
    port = free_port()
    database = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=(
            f"postgres://{database['USER']}:{database['PASSWORD']}"
            f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        ),
        REDIS_URL=settings.REDIS_URL,
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_FROM_SOURCE="1",
        DEBUG="",
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "network.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # at most ~10 s to start
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode()[-2000:])
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def test_a_notification_appears_in_the_open_page_without_reloading_and_opens_read(site):
    from playwright.sync_api import sync_playwright

    amina, carlos = UserFactory(display_name="Amina"), UserFactory(display_name="Carlos")
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session_for(amina), "url": site}

    def mention_amina() -> None:  # another thread: Playwright's loop forbids the ORM here
        try:
            notify(
                recipient=amina,
                kind=Kind.MENTION,
                text="Carlos mentioned you",
                url="/forums/",
                actor=carlos,
            )
        finally:
            connection.close()

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context()
            context.add_cookies([cookie])
            page = context.new_page()
            page.goto(site + "/notifications/")
            badge = page.locator("[data-notification-badge]")
            assert badge.is_hidden()
            page.locator("[data-notification-badge][data-live=connected]").wait_for(
                state="attached", timeout=5000
            )

            sender = threading.Thread(target=mention_amina)
            sender.start()
            sender.join(timeout=10)

            page.locator("[data-notification-list] li").first.wait_for(timeout=5000)
            assert badge.is_visible()
            assert page.locator("[data-notification-count]").inner_text() == "1"
            item = page.locator("[data-notification-list] li").first
            assert item.locator("a").inner_text() == "Carlos mentioned you"
            assert item.locator("a").get_attribute("href") == "/forums/"

            item.locator("a").click()  # following it marks it read on the way
            page.wait_for_url(site + "/forums/")
        finally:
            browser.close()

    assert Notification.objects.get(recipient=amina).read_at is not None
