"""Drawing a group's new area on the map (mutua.js: areaMap) in Chromium, without tiles: the
corners clicked become the GeoJSON the proposal carries."""

from __future__ import annotations

import json

import pytest

from mutua.core.tests.conftest import axe_violations, log_in, needs_chromium, screenshot
from mutua.governance.models import Proposal

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def test_a_member_draws_a_new_area_and_proposes_it(
    browser, live_server, ward, helper, offline_tiles
):
    context = browser.new_context()
    log_in(context, helper, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/groups/{ward.slug}/area/")
    page.wait_for_selector(".leaflet-container path")

    page.get_by_role("button", name="Draw on the map").click()
    container = page.locator(".leaflet-container")
    box = container.bounding_box()
    assert box is not None
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)):
        container.click(position={"x": box["width"] * dx, "y": box["height"] * dy})
    page.get_by_role("button", name="Finish").click()

    drawn = json.loads(page.locator("textarea[name=area]").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    assert axe_violations(page) == []
    screenshot(page, "area-drawn")
    page.get_by_role("button", name="Propose this area").click()
    page.wait_for_url("**/proposals/*/")
    proposal = Proposal.objects.get(group=ward, kind="change-area")
    assert proposal.new_area.area_km2 > 0
