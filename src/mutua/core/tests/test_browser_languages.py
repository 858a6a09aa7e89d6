"""Switching the pages' language in Chromium: Arabic (right to left) and Spanish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mutua.aid.models import Ask
from mutua.core.tests.conftest import needs_chromium, screenshot
from mutua.core.tests.factories import make_ask

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def _switch(page, language: str) -> None:
    page.locator("#site-language").select_option(language)
    with page.expect_navigation():
        page.locator(".language-form button[type=submit]").click()


def test_switching_to_arabic_turns_the_pages_right_to_left(browser, live_server, ward):
    make_ask(what="Bread and milk, please", language="en")
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto(f"{live_server.url}/board/")

    _switch(page, "ar")

    assert page.url == f"{live_server.url}/board/"
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    assert page.locator("h1").inner_text() == "طلبات مفتوحة قريبة منك"
    # Laid out from the right: the site name sits at the right edge, and the card's
    # text starts at the right, while an English ask inside keeps reading left to right.
    brand = page.locator(".brand").bounding_box()
    assert brand is not None and brand["x"] + brand["width"] > 320 - 40
    title = page.locator(".card-title")
    assert title.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "switch-ar-board")

    page.get_by_role("link", name="اطلب المساعدة").first.click()
    expect(page.get_by_label("ماذا تحتاج؟")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "switch-ar-ask")


def test_switching_to_spanish_and_asking_in_spanish(browser, live_server, ward):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/ask/")

    _switch(page, "es")

    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.locator("h1").inner_text() == "Pedir ayuda"
    page.get_by_label("¿Qué necesitas?").fill("Pañales y leche de fórmula")
    page.get_by_label("Hoy").check()
    page.locator("input[name=place]").fill("Bethnal Green")
    page.locator("input[name=phone]").fill("+442079460555")
    page.locator("input[name=consent]").check()
    # What the typed place means is shown as it is typed, so the ask goes in one step.
    expect(page.locator("#place-confirm")).to_contain_text("Bethnal Green", timeout=60_000)
    page.get_by_role("button", name="Enviar mi petición").click()

    page.wait_for_url("**/sent/")
    assert page.locator("h1").inner_text() == "Tu petición se ha enviado"
    # The ask carries the language it was made in, for the board's language filter.
    assert Ask.objects.get().language == "es"
    screenshot(page, "switch-es-sent")


def test_the_browser_language_is_used_before_any_choice(browser, live_server, ward):
    page = browser.new_context(locale="es-ES").new_page()

    page.goto(f"{live_server.url}/")

    assert page.evaluate("document.documentElement.lang") == "es"
    expect(page.get_by_role("link", name="Pedir ayuda").first).to_be_visible()
