"""The tie-break among equally good helpers (engine/rested.py): the one who helped least
recently gets the ask, and the optimum never changes (hypothesis, every regime)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutua.matching.engine import AskArrays, HelperArrays, solve
from mutua.matching.engine.exact import exact_optimum, feasible_pairs
from mutua.matching.engine.rested import prefer_rested
from mutua.matching.tests.engine_instances import REGIMES, instances, make_asks, make_helpers

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NEVER = -np.inf


@st.composite
def shared_homes(
    draw: st.DrawFn, regime: str
) -> tuple[AskArrays, HelperArrays, np.ndarray, dict[int, set[int]]]:
    """An instance whose helpers live at two or three shared places (as members' home cells
    do), when each last helped, and some pairs the caller excludes."""
    asks, helpers = draw(instances(regime=regime))
    n = len(helpers)
    places = draw(st.integers(1, max(1, min(3, n))))
    home = np.array(draw(st.lists(st.integers(0, places - 1), min_size=n, max_size=n)))
    helpers = dataclasses.replace(
        helpers,
        lat=helpers.lat[home] if n else helpers.lat,
        lon=helpers.lon[home] if n else helpers.lon,
    )
    last = np.array(
        draw(st.lists(st.sampled_from([NEVER, 10.0, 20.0, 30.0]), min_size=n, max_size=n)),
        dtype=np.float64,
    )
    excluded: dict[int, set[int]] = {}
    for _ in range(draw(st.integers(0, 4))):
        if len(asks) and n:
            a = draw(st.integers(0, len(asks) - 1))
            excluded.setdefault(a, set()).add(draw(st.integers(0, n - 1)))
    return asks, helpers, last, excluded


def _movable(asks, helpers, chosen, last, excluded, ok) -> list[tuple[int, int]]:
    """(ask, helper) moves to a less recently active helper at the same place, by brute force."""
    room = helpers.capacity - np.bincount(chosen[chosen >= 0], minlength=len(helpers))
    moves = []
    for ask in np.flatnonzero(chosen >= 0).tolist():
        current = int(chosen[ask])
        for other in range(len(helpers)):
            same_place = (helpers.lat[other], helpers.lon[other]) == (
                helpers.lat[current],
                helpers.lon[current],
            )
            if (
                same_place
                and room[other] > 0
                and last[other] < last[current]
                and ok[ask, other]
                and other not in excluded.get(ask, set())
            ):
                moves.append((ask, other))
    return moves


@FAST
@pytest.mark.parametrize("regime", sorted(REGIMES))
@given(data=st.data())
def test_the_tie_break_never_changes_the_optimum(regime: str, data: st.DataObject) -> None:
    asks, helpers, last, excluded = data.draw(shared_homes(regime))
    result = solve(asks, helpers)
    exact = exact_optimum(asks, helpers)

    chosen = prefer_rested(asks, helpers, result.helper, result.distance_km, last, excluded)

    matched = chosen >= 0
    assert (matched == (result.helper >= 0)).all()
    ok, distance = feasible_pairs(asks, helpers)
    for ask in np.flatnonzero(matched).tolist():
        helper = int(chosen[ask])
        at_radius = abs(distance[ask, helper] - helpers.radius_km[helper]) < 1e-9
        assert ok[ask, helper] or at_radius
        # The very same distance: the ask moved only between helpers at one place.
        assert distance[ask, helper] == distance[ask, int(result.helper[ask])]
        if helper != result.helper[ask]:
            assert helper not in excluded.get(ask, set())
    load = np.bincount(chosen[matched], minlength=len(helpers))
    assert (load <= helpers.capacity).all()
    weight = int(asks.urgency[matched].astype(np.int64).sum())
    assert weight == exact.weight
    km = float(distance[np.flatnonzero(matched), chosen[matched]].sum())
    assert km == pytest.approx(result.cost, rel=1e-12, abs=1e-9)
    # And it went all the way: no ask could still go to someone more rested beside its helper.
    assert _movable(asks, helpers, chosen, last, excluded, ok) == []


def test_the_most_rested_of_three_neighbours_gets_the_ask_whatever_their_order() -> None:
    asks = make_asks(lat=[51.545], lon=[-0.055], category=[0], urgency=[2])
    home = {"lat": [51.546] * 3, "lon": [-0.055] * 3, "radius_km": [3.0] * 3}
    helpers = make_helpers(**home, categories=[1, 1, 1], capacity=[1, 1, 1])
    result = solve(asks, helpers)
    for rested in range(3):
        last = np.array([30.0, 30.0, 30.0])
        last[rested] = NEVER
        chosen = prefer_rested(asks, helpers, result.helper, result.distance_km, last)
        assert chosen.tolist() == [rested]


def test_a_helper_who_cannot_take_the_ask_is_passed_over() -> None:
    asks = make_asks(lat=[51.545], lon=[-0.055], category=[1], urgency=[1])
    # The most rested neighbour helps with another kind of help, the next has no room left.
    helpers = make_helpers(
        lat=[51.546] * 3,
        lon=[-0.055] * 3,
        radius_km=[3.0] * 3,
        categories=[0b10, 0b01, 0b10],
        capacity=[1, 1, 0],
    )
    chosen = prefer_rested(
        asks, helpers, np.array([0]), np.array([0.111]), np.array([50.0, NEVER, NEVER])
    )
    assert chosen.tolist() == [0]


def test_nothing_to_break_gives_the_assignment_back() -> None:
    asks = make_asks(lat=[], lon=[], category=[], urgency=[])
    helpers = make_helpers(lat=[], lon=[], radius_km=[], categories=[], capacity=[])
    assert (
        prefer_rested(asks, helpers, np.array([], dtype=np.int64), np.array([]), np.array([])).size
        == 0
    )
