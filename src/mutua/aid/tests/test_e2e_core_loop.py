"""The core loop clicked through in a real browser (Debian's Chromium, via Playwright).

Someone without an account asks for help; a member logs in, finds it on the board,
takes it, sees how to reach the person, and marks it done.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from mutua.aid.models import Ask, AskStatus
from mutua.core.tests.factories import PASSWORD
from mutua.privacy.models import AccessLog

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = "+442079460123"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # work happens in its own thread, so Django's async-safety guard does not apply here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
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
        yield browser
        browser.close()


def test_ask_claim_see_contact_and_mark_done(browser, live_server, ward, helper):
    asker_page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    asker_page.goto(f"{live_server.url}/ask/")
    asker_page.get_by_label("What do you need?").fill("Bread, milk and rice for the week")
    asker_page.get_by_label("Kind of help").select_option("groceries")
    asker_page.get_by_label("Today").check()
    asker_page.locator("input[name=place]").fill("Bethnal Green")
    asker_page.locator("input[name=phone]").fill(PHONE)
    asker_page.locator("input[name=consent]").check()
    # What the typed place means is shown as it is typed, so the ask goes in one step.
    expect(asker_page.locator("#place-confirm")).to_contain_text(
        "Near Bethnal Green", timeout=60_000
    )
    asker_page.get_by_role("button", name="Send my ask").click()

    asker_page.wait_for_url("**/sent/**")
    ask = Ask.objects.get()
    assert ask.group == ward and ask.status == AskStatus.OPEN
    # Nothing on a 320 px phone scrolls sideways.
    assert asker_page.evaluate("document.documentElement.scrollWidth") <= 320

    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(helper.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/board/")
    assert PHONE not in page.content()
    page.get_by_text("Bread, milk and rice").first.click()
    page.get_by_role("button", name="I can help with this").click()

    page.wait_for_selector(f'a[href="tel:{PHONE}"]')
    assert AccessLog.objects.filter(ask=ask, viewer=helper, channel="web").exists()
    page.get_by_role("button", name="Mark done").click()
    page.wait_for_load_state()

    ask.refresh_from_db()
    assert ask.status == AskStatus.DONE
