from pathlib import Path

import pytest

from tests.services import REQUIRE_SERVICES

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, from the npm registry (package.json; `npm ci` installs it). Ask for
    it before `demo_site`, so a run without it stops before starting a server."""
    if not AXE.exists():
        reason = f"needs axe-core: run `npm ci` in the repository root ({AXE} is missing)"
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_site():
    """One server with demo content for the page checks in the browser, started once for all
    of them (tests/browser.py). Tests without Chromium skip before reaching it."""
    from tests.browser import DemoSite

    site = DemoSite()
    yield site
    site.stop()
