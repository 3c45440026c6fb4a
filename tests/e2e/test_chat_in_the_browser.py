"""Two members chat live in one room, each in their own browser."""

import os

import pytest

from tests.browser import launch, signed_in_pages
from tests.chat.live import Daphne, Database, base_env, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server():
    url = os.environ.get("DATABASE_URL", "")
    database = Database(url if url.startswith("postgres") else "")
    database.migrate()
    setup = database.setup(members=2)
    daphne = Daphne(free_port(8300, 8400), base_env(DATABASE_URL=database.url))
    daphne.start()
    yield daphne, setup
    daphne.stop()
    database.drop()


def test_two_members_chat_live_in_one_room(server):
    from playwright.sync_api import expect, sync_playwright

    daphne, setup = server
    room_url = f"{daphne.origin}/chat/{setup['rooms'][0]}/"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        alice, bob = signed_in_pages(browser, daphne.origin, setup["cookies"], room_url)
        expect(bob.locator("[data-online]")).to_contain_text("Live Member 0")

        alice.get_by_role("textbox", name="Message").fill("Hello from **Alice**")
        alice.get_by_role("button", name="Send").click()

        expect(bob.locator(".chat-message").last).to_contain_text("Hello from Alice")
        expect(bob.locator(".chat-message strong").last).to_have_text("Alice")
        bob.get_by_role("textbox", name="Message").press_sequentially("Hi Al")
        expect(alice.locator("[data-typing]")).to_contain_text("Live Member 1")
        bob.get_by_role("textbox", name="Message").press("Enter")
        expect(alice.locator(".chat-message").last).to_contain_text("Hi Al")
        assert alice.locator(".chat-pending").count() == 0
        browser.close()
