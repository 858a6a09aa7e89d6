"""Where help is missing: need against helpers within reach per area of a network, the
shortest first, with second areas counted, and nothing personal on the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutua.aid.models import Ask
from mutua.conftest import login
from mutua.core.tests.factories import UserFactory, make_ask, make_group
from mutua.groups import services as group_services
from mutua.matching.tests.db_people import ready_to_help

pytestmark = pytest.mark.django_db

CENTRE = (51.5450, -0.0553)
EAST = (51.5470, 0.0200)  # about 5 km east
WEST = (51.5150, -0.1400)  # about 7 km west, the better-off side in this story


@pytest.fixture
def network(db):
    borough = make_group(name="Borough", kind="network", center=CENTRE, radius_km=9)
    east = make_group(name="East Ward", center=EAST, radius_km=1, parent=borough)
    west = make_group(name="West Ward", center=WEST, radius_km=1, parent=borough)
    return borough, east, west


def helper_at(group, home, *, radius_km=2):
    user = UserFactory.create()
    group_services.join_group(group=group, user=user)
    return ready_to_help(user, home=home, radius_km=radius_km)


def areas(page: str) -> dict[str, dict[str, str]]:
    found = {}
    for slug, body in re.findall(r'<tr data-area="([^"]+)"[^>]*>(.*?)</tr>', page, re.S):
        found[slug] = dict(re.findall(r'data-figure="([a-z-]+)">([^<]*)<', body))
    return found


def fill(network):
    _borough, east, west = network
    for _ in range(8):
        make_ask(lat=EAST[0], lon=EAST[1])
    make_ask(lat=WEST[0], lon=WEST[1])
    # An ask from before the four weeks counted does not count.
    old = make_ask(lat=WEST[0], lon=WEST[1])
    Ask.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(weeks=5))
    for _ in range(3):
        helper_at(west, WEST)
    helper_at(east, EAST)
    # Paused helpers and helpers with nothing ticked could not be suggested an ask.
    paused = helper_at(east, EAST)
    paused.profile.paused = True
    paused.profile.save()


def test_the_areas_shortest_of_helpers_come_first(client, network):
    borough, east, west = network
    fill(network)

    page = client.get(f"/groups/{borough.slug}/network/help-missing/").content.decode()

    shown = areas(page)
    assert next(iter(shown)) == east.slug
    assert shown[east.slug] == {"asks-per-week": "2.0", "helpers": "1", "per-helper": "2.0"}
    assert shown[west.slug] == {"asks-per-week": "0.2", "helpers": "3", "per-helper": "0.1"}
    east_row = page.split(f'data-area="{east.slug}"')[1].split("</tr>")[0]
    assert 'data-short="1"' in page.split(f'data-area="{east.slug}"')[1][:200]
    assert "short of helpers" in east_row
    west_row = page.split(f'data-area="{west.slug}"')[1].split("</tr>")[0]
    assert "short of helpers" not in west_row


def test_a_helper_who_chooses_the_area_counts_in_it(client, network):
    borough, east, west = network
    fill(network)
    volunteer = helper_at(west, WEST)
    login(client, volunteer)

    client.post(
        f"/groups/{east.slug}/second-area/",
        {"next": f"/groups/{borough.slug}/network/help-missing/"},
    )
    page = client.get(f"/groups/{borough.slug}/network/help-missing/").content.decode()

    assert areas(page)[east.slug]["helpers"] == "2"
    assert f'data-second-area="{east.slug}"' in page
    assert "Stop helping here" in page.split(f'data-area="{east.slug}"')[1].split("</tr>")[0]


def test_nothing_personal_is_shown(client, network):
    borough, east, _west = network
    fill(network)
    ask = Ask.objects.filter(group=east).earliest("pk")

    page = client.get(f"/groups/{borough.slug}/network/help-missing/").content.decode()

    for private in (ask.what, ask.address, ask.contact_phone, ask.contact_name):
        assert private not in page


def test_the_api_gives_the_same_figures(client, network):
    borough, east, _west = network
    fill(network)

    answer = client.get(f"/api/v1/groups/{borough.slug}/help-missing").json()

    assert answer["weeks"] == 4
    first = answer["items"][0]
    assert (first["group"], first["asks_per_week"], first["helpers_in_reach"], first["short"]) == (
        east.slug,
        2.0,
        1,
        True,
    )
    assert client.get("/api/v1/groups/atlantis/help-missing").status_code == 404


def test_the_page_takes_a_fixed_number_of_queries(client, network):
    borough, east, _west = network
    fill(network)
    url = f"/groups/{borough.slug}/network/help-missing/"
    client.get(url)

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        helper_at(east, EAST)
        make_ask(lat=EAST[0], lon=EAST[1])
    with CaptureQueriesContext(connection) as more:
        client.get(url)

    assert len(more.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 12
