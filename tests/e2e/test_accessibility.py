"""axe-core in Chromium over every main page, in English and in Arabic: no page may have a
problem axe rates serious or critical. One browser context per language walks all pages."""

import time

import pytest

from tests.browser import launch

SIGNED_OUT_PAGES = ["sign-in", "sign-up"]  # allauth sends signed-in members away from these
MEMBER_PAGES = [
    "home", "directory", "profile", "profile-edit", "forum-index", "category", "topic",
    "new-topic", "search", "chat-room", "workshops", "workshop", "notifications",
    "moderation-queue", "moderation-index", "pending-members", "accessibility",
]  # fmt: skip
BLOCKING = {"serious", "critical"}

# Everything axe has, on the whole document; only violations come back (faster). Closed
# <details> (moderation forms, "more actions") are opened first so their content is checked.
RUN_AXE = """async () => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_main_page_has_a_serious_or_critical_accessibility_problem(
    axe_script, demo_site, language
):
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    blocking, minor = [], []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = demo_site.context(browser, language=language)
        context.add_init_script(axe_script)  # in every page before its own scripts; CSP stays on
        page = context.new_page()
        for name in SIGNED_OUT_PAGES + MEMBER_PAGES:
            if name == MEMBER_PAGES[0]:
                demo_site.sign_in(context, "moderator")  # a moderator sees every control
            response = page.goto(demo_site.url(name))
            assert response is not None and response.ok, f"{name}: HTTP {response.status}"
            assert page.locator("html").get_attribute("lang") == language, name
            for violation in page.evaluate(RUN_AXE):
                line = (
                    f"{name} [{language}] {demo_site.urls[name]}: {violation['rule']} "
                    f"({violation['impact']}) {violation['help']} at {violation['targets'][:5]}"
                )
                (blocking if violation["impact"] in BLOCKING else minor).append(line)
        browser.close()

    pages = len(SIGNED_OUT_PAGES + MEMBER_PAGES)
    print(f"\naxe-core: {pages} pages in {language} in {time.monotonic() - started:.1f} s")
    for line in minor:
        print("  not blocking:", line)
    assert not blocking, "serious or critical accessibility problems:\n" + "\n".join(blocking)


@pytest.mark.django_db
def test_every_page_links_to_a_public_accessibility_statement(client):
    home = client.get("/").content.decode()

    statement = client.get("/accessibility/")

    assert 'href="/accessibility/"' in home
    assert statement.status_code == 200
    text = statement.content.decode()
    for said in ("axe-core", "Arabic", "keyboard", "live regions", "known not to conform"):
        assert said in text, f"the statement does not say anything about {said}"
