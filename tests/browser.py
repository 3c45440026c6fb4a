"""Debian's Chromium under Playwright, as every browser test launches it.

Never a browser Playwright downloads itself; the flags keep Chromium off the network.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def signed_in_pages(browser, origin: str, cookies: list[str], url: str) -> list:
    """One page per session cookie ("name=value"), each in its own context, opened at url."""
    pages = []
    for cookie in cookies:
        context = browser.new_context()
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": origin}])
        page = context.new_page()
        page.goto(url)
        pages.append(page)
    return pages
