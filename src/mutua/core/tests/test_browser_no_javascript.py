"""The core flows with JavaScript switched off in Chromium: ask (errors included), the
board's filters, join a group, claim, see the contact, mark done."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mutua.aid.models import Ask, AskStatus
from mutua.aid.selectors import asker_key
from mutua.core.tests.conftest import log_in, needs_chromium, screenshot
from mutua.core.tests.factories import make_ask, trusted
from mutua.groups.models import Membership

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]

PHONE = "+442079460777"


def test_asking_works_without_javascript(browser, live_server, ward):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/ask/")
    # The map and "use my location" need JavaScript; typing the place is the way here.
    assert not page.get_by_role("button", name="Choose on a map").is_visible()

    page.get_by_role("button", name="Send my ask").click()

    # Sent empty: a summary at the top links to each field that needs fixing.
    summary = page.locator(".form-errors")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name="What do you need?").click()
    assert page.evaluate("location.hash") == "#id_what"
    assert page.locator("#id_what").get_attribute("aria-invalid") == "true"
    screenshot(page, "nojs-ask-errors")

    page.get_by_label("What do you need?").fill("Someone to walk my dog this week")
    page.get_by_label("Kind of help").select_option("pets")
    page.locator("input[name=place]").fill("Bethnal Green")
    page.locator("input[name=phone]").fill(PHONE)
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Send my ask").click()

    # Without JavaScript, where the ask will go is confirmed in a second step.
    expect(page.get_by_text("Check where your ask will go, then send it.")).to_be_visible()
    assert not Ask.objects.exists()
    page.get_by_role("button", name="Send my ask").click()

    page.wait_for_url("**/sent/")
    ask = Ask.objects.get()
    assert ask.group == ward and ask.status == AskStatus.OPEN
    assert page.locator(".link-box a").get_attribute("href").endswith(f"?key={asker_key(ask)}")
    screenshot(page, "nojs-ask-sent")


def test_join_filter_claim_and_done_work_without_javascript(browser, live_server, ward, outsider):
    make_ask(what="Roof tarp after the storm", category="repairs")
    ask = make_ask(
        what="Prescription from the chemist", category="prescriptions", contact_phone=PHONE
    )
    context = browser.new_context(java_script_enabled=False)
    log_in(context, outsider, live_server.url)
    page = context.new_page()

    page.goto(f"{live_server.url}/groups/{ward.slug}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Join this group").click()
    assert Membership.objects.filter(group=ward, user=outsider).exists()

    page.goto(f"{live_server.url}/board/")
    page.get_by_label("Near").fill("Bethnal Green")
    # Folded away so the asks come first on a phone; a tap opens it, no script needed.
    page.get_by_text("More filters").click()
    page.get_by_label("Kind of help").select_option("prescriptions")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/board/?*category=prescriptions*")
    expect(page.get_by_text("Prescription from the chemist")).to_be_visible()
    expect(page.get_by_text("Roof tarp")).not_to_be_visible()
    assert PHONE not in page.content()

    page.get_by_role("link", name="Prescription from the chemist").click()
    with page.expect_navigation():
        page.get_by_role("button", name="I can help with this").click()
    # Joining is one click; taking an ask waits until the group trusts the newcomer.
    assert "verify your e-mail address" in page.content()
    assert PHONE not in page.content()
    trusted(ward, outsider)
    page.get_by_role("button", name="I can help with this").click()
    page.wait_for_selector(f'a[href="tel:{PHONE}"]')
    screenshot(page, "nojs-claimed")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark done").click()

    ask.refresh_from_db()
    assert ask.status == AskStatus.DONE
