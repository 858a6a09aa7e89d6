"""What the browser tests (test_browser_*.py) share: one headless Chromium per test module,
logging a persona in without clicking through the form, axe-core, and screenshots.

Chromium is Debian's (`apt-get install chromium`, done by .ci/run); Playwright never
downloads a browser here. Screenshots go to var/screenshots/, kept by CI as artefacts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client

from mutua.people.models import User

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[4]
SCREENSHOTS = REPO / "var" / "screenshots"
AXE = Path(__file__).resolve().parent / "assets" / "axe.min.js"

needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser for all the tests of a module: starting Chromium is the slow part."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an event loop in this thread; the live server's
        # database work happens in its own thread, and the tests' own queries are plain
        # synchronous ones, so Django's async-safety guard does not apply here.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            yield launched
            launched.close()


@pytest.fixture
def offline_tiles(settings: Any) -> str:
    """Map tiles from an address where nothing answers, as on a server with no internet."""
    settings.MUTUA_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    return str(settings.MUTUA_TILE_URL)


def log_in(context: BrowserContext, user: User, base_url: str) -> None:
    """Give the browser the session of `user`, as if they had logged in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def axe_violations(page: Page) -> list[str]:
    """What axe-core finds wrong on the page, one line per rule and element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, not added as a <script>: the
        # site's Content-Security-Policy rightly refuses inline scripts.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]
