"""Routing: a new ask goes to the smallest group whose area covers it, or to the unrouted list.

Also the public place: the board only ever learns a coarse H3 cell, never the door.
"""

from __future__ import annotations

import h3
import pytest

from mutua.aid import selectors, services
from mutua.aid.policy import Actor
from mutua.aid.selectors import asker_key
from mutua.core import geo
from mutua.core.tests.factories import HACKNEY, establish, make_ask, make_group
from mutua.groups import services as group_services
from mutua.groups.models import Group

pytestmark = pytest.mark.django_db

# About 5 km north of Hackney Central: Tottenham Hale way, outside the ward, inside the area.
NORTH_OF_WARD = (HACKNEY[0] + 5 / 111.2, HACKNEY[1])
MANCHESTER = (53.4808, -2.2426)


def make_area() -> Group:
    return make_group(name="North-East London", slug="ne-london", radius_km=8, kind="area")


def make_ward(parent: Group | None = None) -> Group:
    return make_group(name="Hackney Central", slug="hackney-central", parent=parent)


@pytest.mark.parametrize("ward_first", [False, True], ids=["area made first", "ward made first"])
def test_an_ask_in_a_ward_inside_an_area_goes_to_the_ward(ward_first):
    if ward_first:
        ward = make_ward()
        area = make_area()
    else:
        area = make_area()
        ward = make_ward(parent=area)
    assert ward.area_km2 < area.area_km2

    ask = make_ask(lat=HACKNEY[0], lon=HACKNEY[1])

    assert ask.group == ward
    assert ask.area_name == "Hackney Central"
    assert ask not in selectors.unrouted_asks()


def test_an_ask_in_the_area_but_outside_every_ward_goes_to_the_area():
    area = make_area()
    make_ward(parent=area)

    ask = make_ask(lat=NORTH_OF_WARD[0], lon=NORTH_OF_WARD[1])

    assert ask.group == area
    assert ask.area_name == "North-East London"


def test_an_ask_outside_every_area_is_unrouted_and_listed_as_such():
    make_area()
    make_ward()
    routed = make_ask()

    lost = make_ask(lat=MANCHESTER[0], lon=MANCHESTER[1])

    assert lost.group is None
    assert lost.area_name == ""
    assert list(selectors.unrouted_asks()) == [lost]
    assert routed not in selectors.unrouted_asks()


def test_the_unrouted_list_shows_only_asks_still_waiting(helper):
    waiting_urgent = make_ask(lat=MANCHESTER[0], lon=MANCHESTER[1], urgency=3)
    waiting = make_ask(lat=MANCHESTER[0], lon=MANCHESTER[1], urgency=1)
    withdrawn = make_ask(lat=MANCHESTER[0], lon=MANCHESTER[1], urgency=3)
    services.cancel_ask(ask=withdrawn, actor=Actor(key=asker_key(withdrawn)))

    assert list(selectors.unrouted_asks()) == [waiting_urgent, waiting]


def test_a_street_group_of_finer_cells_wins_over_its_ward():
    ward = make_ward()
    # Resolution 9 cells, finer than the ward's: routing must compare areas, not resolutions.
    street = establish(
        group_services.create_group(
            name="Mare Street",
            kind="street",
            parent=ward,
            cells=geo.disk(HACKNEY[0], HACKNEY[1], 0.3, resolution=9),
        )
    )
    assert street.area_km2 < ward.area_km2

    assert make_ask().group == street
    assert make_ask(lat=HACKNEY[0] + 1.5 / 111.2, lon=HACKNEY[1]).group == ward


def test_new_asks_follow_a_changed_area_and_old_asks_stay(ward):
    before = make_ask()
    group_services.set_group_area(
        group=ward, cells=geo.disk(MANCHESTER[0], MANCHESTER[1], 2, resolution=8)
    )

    assert make_ask().group is None
    assert make_ask(lat=MANCHESTER[0], lon=MANCHESTER[1]).group == ward
    before.refresh_from_db()
    assert before.group == ward


def test_the_public_place_is_the_centre_of_a_resolution_8_cell_not_the_door(ward):
    exact = (51.54893, -0.05712)
    ask = make_ask(lat=exact[0], lon=exact[1])

    assert h3.get_resolution(ask.cell) == geo.PUBLIC_RESOLUTION == 8
    assert ask.cell == h3.latlng_to_cell(exact[0], exact[1], 8)
    assert (ask.public_lat, ask.public_lon) == pytest.approx(h3.cell_to_latlng(ask.cell))
    assert (ask.public_lat, ask.public_lon) != exact
    # Coarse, but still near enough for a helper to judge the walk (a cell is ~1 km across).
    offset = geo.haversine_km(exact[0], exact[1], ask.public_lat, ask.public_lon)
    assert 0 < offset < 0.6


def test_neighbours_in_one_cell_share_the_same_public_place(ward):
    one = make_ask(lat=51.54893, lon=-0.05712)
    cell_lat, cell_lon = geo.cell_center(one.cell)
    # Another door a few metres away, in the same cell.
    two = make_ask(lat=cell_lat + 0.0004, lon=cell_lon - 0.0004)

    assert two.cell == one.cell
    assert (two.public_lat, two.public_lon) == (one.public_lat, one.public_lon)
    assert (two.lat, two.lon) != (one.lat, one.lon)
