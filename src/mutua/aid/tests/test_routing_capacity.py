"""Routing when several established groups of one kind cover a place: the one with the
most room (open asks per helper active lately) gets the ask."""

from __future__ import annotations

from mutua.aid import services
from mutua.aid.models import AskStatus
from mutua.core.tests.factories import UserFactory, make_ask, make_group, trusted

POINT = (51.5450, -0.0553)
NEAR = (51.5480, -0.0500)


def overlapping_wards():
    busy = make_group(name="Busy Ward", center=POINT, radius_km=1.0)
    quiet = make_group(name="Quiet Ward", center=NEAR, radius_km=2.5)
    return busy, quiet


def test_the_smaller_ward_takes_asks_while_both_are_equally_free(db):
    busy, _quiet = overlapping_wards()

    assert make_ask(lat=POINT[0], lon=POINT[1]).group == busy


def test_an_ask_goes_to_the_overlapping_ward_with_more_room(db):
    busy, quiet = overlapping_wards()
    # Busy Ward has two open asks and nobody active; Quiet Ward has none.
    first = make_ask(lat=POINT[0], lon=POINT[1])
    assert first.group == busy

    second = make_ask(lat=POINT[0], lon=POINT[1])

    assert second.group == quiet
    assert first.status == AskStatus.OPEN


def test_active_helpers_give_a_ward_room(db):
    busy, quiet = overlapping_wards()
    helpers = [trusted(busy, UserFactory.create()) for _ in range(3)]
    asks = [make_ask(lat=POINT[0], lon=POINT[1]) for _ in range(3)]
    assert [a.group for a in asks] == [busy, quiet, busy]
    for helper, ask in zip(helpers, [a for a in asks if a.group == busy], strict=False):
        services.claim_ask(ask=ask, helper=helper)
    # Busy: 0 open, 2 active helpers; Quiet: 1 open, nobody active.
    assert make_ask(lat=POINT[0], lon=POINT[1]).group == busy


def test_a_street_inside_a_ward_still_takes_its_own_asks(db):
    ward = make_group(name="Ward", center=POINT, radius_km=2)
    street = make_group(name="Street", kind="street", center=POINT, radius_km=0.2, parent=ward)
    make_ask(lat=POINT[0], lon=POINT[1])  # the street now has one open ask, the ward none

    assert make_ask(lat=POINT[0], lon=POINT[1]).group == street


def test_a_ward_not_yet_established_gets_nothing_however_free(db):
    busy = make_group(name="Busy Ward", center=POINT, radius_km=1.0)
    make_group(name="New Ward", center=NEAR, radius_km=2.5, established=False)

    asks = [make_ask(lat=POINT[0], lon=POINT[1]) for _ in range(3)]

    assert {a.group for a in asks} == {busy}
