"""Live Q&A in two browsers: a question asked in one appears in the other, and a vote moves
it to the top of both lists, without reloading."""

import json
import os
import sys

import pytest

from tests.browser import launch, signed_in_pages
from tests.chat.live import Daphne, Database, base_env, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _setup() -> dict:
    """Run in the server's database: a facilitator, two participants with sessions, and a
    workshop in Q&A mode."""
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from profiles.models import MembershipStatus, Profile, User
    from workshops import services

    people = []
    for number, is_facilitator in [(0, True), (1, False), (2, False)]:
        user = User.objects.create(
            username=f"qa-{number}",
            email=f"qa-{number}@example.org",
            display_name=f"QA Member {number}",
            status=MembershipStatus.APPROVED,
            is_facilitator=is_facilitator,
        )
        Profile.objects.create(user=user)
        people.append(user)
    start = timezone.now() + timedelta(hours=1)
    workshop = services.create_workshop(
        by=people[0],
        title="Live Q&A",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        is_qa_enabled=True,
    )
    for participant in people[1:]:
        services.register(workshop=workshop, member=participant)
    cookies = []
    for user in people[1:]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return {"slug": workshop.slug, "cookies": cookies}


@pytest.fixture
def server():
    import subprocess

    url = os.environ.get("DATABASE_URL", "")
    database = Database(url if url.startswith("postgres") else "")
    database.migrate()
    result = subprocess.run(
        [sys.executable, "-m", "tests.e2e.test_workshop_qa_in_the_browser", "setup"],
        env=base_env(DATABASE_URL=database.url, DJANGO_SETTINGS_MODULE="network.settings"),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    setup = json.loads(result.stdout.strip().splitlines()[-1])
    daphne = Daphne(free_port(8450, 8500), base_env(DATABASE_URL=database.url))
    daphne.start()
    yield daphne, setup
    daphne.stop()
    database.drop()


def test_questions_and_votes_show_up_live_in_every_browser(server):
    from playwright.sync_api import expect, sync_playwright

    daphne, setup = server
    url = f"{daphne.origin}/workshops/{setup['slug']}/questions/"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        pages = signed_in_pages(browser, daphne.origin, setup["cookies"], url)
        for page in pages:
            expect(page.locator("[data-live-status]")).to_contain_text("Live")
        alice, bob = pages

        alice.get_by_label("Your question").fill("Where is the checklist?")
        alice.get_by_role("button", name="Ask").click()
        expect(bob.locator(".question")).to_have_count(1)
        bob.get_by_label("Your question").fill("Is there a French session?")
        bob.get_by_role("button", name="Ask").click()
        expect(alice.locator(".question")).to_have_count(2)
        expect(alice.locator(".question").first).to_contain_text("Where is the checklist?")

        alice.locator(".question", has_text="French session").get_by_role(
            "button", name="Upvote"
        ).click()

        for page in (alice, bob):
            expect(page.locator(".question").first).to_contain_text("Is there a French session?")
            expect(page.locator(".question").first.locator("[data-count]")).to_have_text("1")
        expect(
            alice.locator(".question", has_text="French session").locator(".vote-button")
        ).to_have_attribute("aria-pressed", "true")
        assert alice.url == url  # nothing reloaded: it all went over the socket
        browser.close()


if __name__ == "__main__" and sys.argv[1:2] == ["setup"]:
    print(json.dumps(_setup()))
