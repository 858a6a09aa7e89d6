"""Nothing on the board moves once it is drawn (issue 21: the audit measured layout shift
as it loaded). Chromium reports every shift; their sum (CLS) must stay under 0.1, the
line Lighthouse calls good, on a phone-sized screen, with the list and with the map."""

from __future__ import annotations

import pytest

from mutua.core.tests.conftest import needs_chromium
from mutua.core.tests.factories import make_ask

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]

# Every layout shift since the page started, added up as Lighthouse does (shifts right
# after the person's own input do not count).
CLS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1500);
})"""

NEEDS = ["Bread and milk", "A lift to the clinic", "Dog walk", "Prescription", "Roof tarp"]


@pytest.mark.parametrize("view", ["", "&view=map"])
def test_the_board_does_not_shift_as_it_loads(browser, live_server, ward, offline_tiles, view):
    for n in range(30):
        make_ask(what=f"{NEEDS[n % 5]} ({n})", lat=51.545 + n / 2000, lon=-0.055)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()

    page.goto(f"{live_server.url}/board/?near=51.545,-0.055{view}", wait_until="load")

    assert page.evaluate(CLS) < 0.1
