"""Journeys made with the keyboard alone (Tab, Shift+Tab, Enter, Space, typing; no mouse):
sign in, find a peer, reply in a topic, send a chat message. And what a screen reader user
relies on: a visible focus, a skip link, live regions that do not steal the focus."""

import re

import pytest

from tests.browser import launch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What has the focus: enough to recognise a control the way a person would.
FOCUSED = """() => {
  const e = document.activeElement;
  return {
    tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute("name") || "",
    type: e.getAttribute("type") || "", href: e.getAttribute("href") || "",
    value: e.getAttribute("value") || "",
    text: (e.innerText || e.value || e.getAttribute("aria-label") || "").trim(),
  };
}"""
MAX_TABS = 200


def tab_to(page, matches, *, backwards: bool = False, what: str = "") -> dict:
    """Press Tab (or Shift+Tab) until the focused element `matches`; fail after MAX_TABS."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            return focused
        seen.append(focused["text"][:30] or focused["tag"])
    raise AssertionError(f"Tab never reached {what}; went through {seen[:40]}")


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def test_sign_in_with_the_keyboard_alone(demo_site, browser):
    from playwright.sync_api import expect

    login = demo_site.logins["member"]
    page = demo_site.context(browser).new_page()
    page.goto(demo_site.url("home"))

    first = tab_to(page, lambda f: True, what="anything")
    assert first["href"] == "#main", f"the first Tab stop is not the skip link: {first}"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused skip link shows no focus outline"
    tab_to(page, lambda f: f["href"] == demo_site.urls["sign-in"], what="the Sign in link")
    style, width, colour = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )
    assert style != "none" and width >= 2, f"focus hardly visible: {style} {width}px"
    assert contrast(colour, "rgb(243, 245, 248)") >= 3, f"focus ring {colour} on the header"
    page.keyboard.press("Enter")
    page.wait_for_url(demo_site.url("sign-in"))

    tab_to(page, lambda f: f["href"] == "#main", what="the skip link")
    page.keyboard.press("Enter")  # skips the header: the next Tab lands in the main content
    tab_to(page, lambda f: f["type"] == "email", what="the email field")
    page.keyboard.type(login["email"])
    tab_to(page, lambda f: f["type"] == "password", what="the password field")
    page.keyboard.type(login["password"])
    tab_to(page, lambda f: f["tag"] == "button" and f["type"] == "submit", what="Sign in")
    page.keyboard.press("Enter")

    expect(page.locator(".signed-in-as")).to_contain_text("Demo Member")
    page.context.close()


def test_find_a_peer_in_the_directory_and_open_their_profile(demo_site, browser):
    from playwright.sync_api import expect

    peer = demo_site.logins["peer"]
    page = demo_site.context(browser, username="demo").new_page()
    page.goto(demo_site.url("home"))

    tab_to(page, lambda f: f["href"] == demo_site.urls["directory"], what="Members")
    page.keyboard.press("Enter")
    page.wait_for_url(demo_site.url("directory"))
    tab_to(page, lambda f: f["id"] == "id_q", what="the directory search field")
    page.keyboard.type(peer["name"])
    page.keyboard.press("Enter")
    expect(page.locator(f'.member-card a[href="{peer["url"]}"]')).to_be_visible()
    tab_to(page, lambda f: f["href"] == peer["url"], what=f"the card of {peer['name']}")
    page.keyboard.press("Enter")

    page.wait_for_url(demo_site.origin + peer["url"])
    expect(page.locator("h1")).to_have_text(peer["name"])
    tab_to(page, lambda f: f["href"] == demo_site.urls["directory"], backwards=True, what="back")
    page.context.close()


def test_reply_in_a_topic_with_the_keyboard_alone(demo_site, browser):
    from playwright.sync_api import expect

    page = demo_site.context(browser, username="demo").new_page()
    page.goto(demo_site.url("category"))
    tab_to(page, lambda f: re.match(r"/forums/t/\d+-", f["href"]), what="a topic")
    topic_url = page.evaluate("() => document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(topic_url)

    tab_to(page, lambda f: f["tag"] == "textarea", what="the reply box")
    page.keyboard.type("Replying without a mouse: the keyboard is enough.")
    tab_to(page, lambda f: f["tag"] == "button" and f["value"] == "submit", what="Post reply")
    page.keyboard.press("Space")

    expect(page.locator(".post-body").last).to_contain_text("Replying without a mouse")
    page.context.close()


def test_send_a_chat_message_and_keep_the_focus_when_others_write(demo_site, browser):
    from playwright.sync_api import expect

    room_url = demo_site.url("chat-room")
    page = demo_site.context(browser, username="demo").new_page()
    page.goto(room_url)
    messages = page.locator("[data-messages]")
    # New messages are read out politely; the unread count is a status region.
    assert messages.get_attribute("aria-live") == "polite"
    assert page.locator("[role=status] [data-notification-badge]").count() == 1
    expect(page.locator("[data-online]")).to_contain_text("Demo Member")  # live

    box = tab_to(page, lambda f: f["tag"] == "textarea", what="the message box")
    page.keyboard.type("Hello from the keyboard")
    page.keyboard.press("Enter")
    expect(messages.locator(".chat-message").last).to_contain_text("Hello from the keyboard")
    assert page.evaluate(FOCUSED)["id"] == box["id"], "sending moved the focus"

    page.keyboard.type("half-written answer")
    other = demo_site.context(browser, username="layla").new_page()
    other.goto(room_url)
    expect(other.locator("[data-online]")).to_contain_text("Demo Member")
    tab_to(other, lambda f: f["tag"] == "textarea", what="Layla's message box")
    other.keyboard.type("وصلت رسالتك")
    other.keyboard.press("Enter")

    expect(messages.locator(".chat-message").last).to_contain_text("وصلت رسالتك")
    focused = page.evaluate(FOCUSED)
    assert focused["id"] == box["id"], f"a new message took the focus to {focused}"
    assert focused["text"] == "half-written answer"
    other.context.close()
    page.context.close()
