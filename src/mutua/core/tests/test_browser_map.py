"""The map in Chromium: loaded only when asked for, coarse places only, and the list and
the form still work when the map pictures (tiles) cannot load, as on a server with no
internet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mutua.aid.models import Ask
from mutua.core.tests.conftest import axe_violations, needs_chromium, screenshot
from mutua.core.tests.factories import make_ask

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def test_the_board_map_shows_rough_areas_and_the_list_survives_missing_tiles(
    browser, live_server, ward, offline_tiles
):
    asks = [
        make_ask(what="Bread and milk", lat=51.54513, lon=-0.05537),
        make_ask(what="A lift to the clinic", lat=51.54921, lon=-0.06007),
    ]
    page = browser.new_context().new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/board/?near=51.545,-0.055")
    assert not [url for url in requested if "leaflet" in url]

    page.get_by_role("link", name="Show them on a map").click()

    # The map view: the same filters, the map open from the start, the list under it.
    page.wait_for_selector(".leaflet-container path.leaflet-interactive")
    assert "view=map" in page.url and "near=51.545" in page.url
    assert page.locator("path.leaflet-interactive").count() == len(asks)
    status = page.locator("[data-map-status]")
    status.filter(has_text="could not be loaded").wait_for()
    assert page.locator("#board-results li[data-lat]").count() == len(asks)
    html = page.content()
    for ask in asks:
        assert f"{ask.lat}" not in html and f"{ask.lon}" not in html
    page.locator("path.leaflet-interactive").first.click(force=True)
    assert page.locator(".leaflet-popup-content a").get_attribute("href").startswith("/asks/")
    # Checked once the popup has faded in: half-transparent text would read as low contrast.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    assert axe_violations(page) == []
    screenshot(page, "map-board-offline-tiles")


def test_a_point_can_be_chosen_on_the_map_even_without_tiles(
    browser, live_server, ward, offline_tiles
):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/ask/")

    page.get_by_role("button", name="Choose on a map").click()
    page.wait_for_selector(".leaflet-container")
    page.locator("[data-place-status]").filter(has_text="could not be loaded").wait_for()
    page.locator(".leaflet-container").click()

    assert page.locator("input[name=lat]").input_value() != ""
    page.get_by_label("What do you need?").fill("A hot meal on Friday")
    page.locator("input[name=phone]").fill("+442079460888")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Send my ask").click()
    page.wait_for_url("**/sent/")
    ask = Ask.objects.get()
    # The map opens on the local groups' area, so a tap there lands near Hackney.
    assert abs(ask.lat - 51.545) < 0.2 and abs(ask.lon + 0.055) < 0.3
