"""Among equally good helpers, the one who helped least recently: a tie-break.

People burn out. When an ask could go to any of several helpers at exactly the same distance
(a member's home is kept as the centre of their home cell, so neighbours share it), the ask
goes to the one whose last help is oldest.

The rule runs after the optimisation and only ever moves an ask from its helper to another
helper at the very same place who could take it (category, language, time window, travel
radius, room left, and not a pair the caller excludes). Such a move leaves every ask matched
or unmatched as it was (so the urgency weight) and every distance exactly as it was (the
same two points): the optimum is unchanged whatever the rule picks. Each move lowers the sum,
over matched asks, of their helpers' last-help times, so the passes end.

What it does not see: ties between helpers at different places that happen to be equally
far (a measure-zero event with real coordinates) and exchanges of several asks at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

import numpy as np
import numpy.typing as npt

from .model import AskArrays, HelperArrays

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _may_take(asks: AskArrays, helpers: HelperArrays, ask: int, others: IntArray) -> IntArray:
    """Those of `others` (at the ask's helper's place, so as far away) who could take it."""
    if others.size == 0:
        return others
    ok = (helpers.categories[others] & np.uint32(1 << int(asks.category[ask]))) != 0
    language = int(asks.language[ask])
    if language >= 0:
        ok &= (helpers.languages[others] & (np.uint64(1) << np.uint64(language))) != 0
    ok &= helpers.available_from[others] <= asks.window_end[ask]
    ok &= asks.window_start[ask] <= helpers.available_to[others]
    taken: IntArray = others[ok]
    return taken


def prefer_rested(
    asks: AskArrays,
    helpers: HelperArrays,
    helper: IntArray,
    distance_km: FloatArray,
    last_helped: FloatArray,
    excluded: Mapping[int, Set[int]] | None = None,
) -> IntArray:
    """The assignment `helper` (helper index per ask, -1 unmatched), with each matched ask
    moved to the helper at its helper's place who helped least recently, where one may take
    it. `last_helped` is a time per helper (-inf: never); `distance_km` the matched asks'
    distances (a helper whose radius is shorter cannot take the ask). Ties between equally
    rested helpers go to the lower index. The distance of every ask stays the same.
    """
    chosen = helper.astype(np.int64, copy=True)
    n = len(helpers)
    if n == 0 or not (chosen >= 0).any():
        return chosen
    places = np.stack((helpers.lat, helpers.lon), axis=1)
    _unique, place, counts = np.unique(places, axis=0, return_inverse=True, return_counts=True)
    place = place.reshape(-1)
    shared = counts[place] > 1
    matched = np.flatnonzero((chosen >= 0) & shared[np.maximum(chosen, 0)])
    if matched.size == 0:
        return chosen
    room = helpers.capacity.astype(np.int64) - np.bincount(chosen[chosen >= 0], minlength=n)
    order = np.argsort(place, kind="stable")
    starts = np.searchsorted(place[order], np.arange(counts.size))
    excluded = excluded or {}
    moved = True
    while moved:
        moved = False
        # The most recently active helpers give up their asks first.
        for ask in matched[np.argsort(-last_helped[chosen[matched]], kind="stable")]:
            current = int(chosen[ask])
            p = int(place[current])
            members = order[starts[p] : starts[p] + counts[p]]
            others = members[
                (room[members] > 0)
                & (last_helped[members] < last_helped[current])
                & (helpers.radius_km[members] >= distance_km[ask])
            ]
            barred = excluded.get(int(ask))
            if barred:
                others = others[[int(o) not in barred for o in others]]
            others = _may_take(asks, helpers, int(ask), others)
            if others.size == 0:
                continue
            best = int(others[np.argmin(last_helped[others])])
            room[current] += 1
            room[best] -= 1
            chosen[ask] = best
            moved = True
    return chosen
