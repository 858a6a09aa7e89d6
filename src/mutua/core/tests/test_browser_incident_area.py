"""Drawing an incident's area on the map in Chromium (mutua.js: areaMap, as on a group's
area page), without tiles: the corners clicked become the area the incident covers."""

from __future__ import annotations

import json

import pytest

from mutua.core.tests.conftest import axe_violations, log_in, needs_chromium, screenshot
from mutua.incidents.models import Incident, IncidentStatus

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def test_a_dispatcher_draws_the_area_and_opens_an_incident(
    browser, live_server, ward, dispatcher, offline_tiles
):
    context = browser.new_context()
    log_in(context, dispatcher, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/groups/{ward.slug}/incidents/")
    page.wait_for_selector(".leaflet-container path")

    page.get_by_role("button", name="Draw on the map").click()
    container = page.locator(".leaflet-container")
    box = container.bounding_box()
    assert box is not None
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)):
        container.click(position={"x": box["width"] * dx, "y": box["height"] * dy})
    page.get_by_role("button", name="Finish").click()
    drawn = json.loads(page.locator("textarea[name=area]").input_value())
    assert drawn["type"] == "Polygon"
    assert axe_violations(page) == []
    screenshot(page, "incident-drawn")

    page.locator("input[name=name]").fill("Storm Ada")
    page.locator("select[name=kind]").select_option("storm")
    page.locator("input[name=emergency]").check()
    page.get_by_role("button", name="Open", exact=True).click()
    page.wait_for_url("**/incidents/*/")

    incident = Incident.objects.get(name="Storm Ada")
    assert incident.status == IncidentStatus.OPEN and incident.cells
