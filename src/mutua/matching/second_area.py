"""Second areas in dispatch: a member who chose to help in a group's area as well as near
home (groups.Membership.second_area) is placed there for the asks left over.

Dispatch first matches every ask it can from helpers' homes, as before. Then the asks
still unmatched are solved once more against the helpers who have a second area among
the run's groups and capacity left, each placed at that area's centre with the area's
reach as their radius. Home comes first because it is nearer and is what the member
offered first; the second pass only uses time nobody nearer could. The same exclusions
hold (the asker, those who declined, the group's taking rules): a leftover ask the second
pass would give to an excluded member stays unmatched.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from mutua.groups.models import Group, Membership
from mutua.groups.selectors import reach_km
from mutua.matching.engine import AskArrays, HelperArrays, solve


@dataclass(frozen=True)
class SecondAreas:
    """Per helper of a pool (by index): where their second area is, NaN for none."""

    lat: np.ndarray
    lon: np.ndarray
    radius_km: np.ndarray

    @classmethod
    def none(cls, helpers: int) -> SecondAreas:
        empty = np.full(helpers, np.nan, dtype=np.float64)
        return cls(lat=empty, lon=empty.copy(), radius_km=empty.copy())


def load(groups: list[Group], helper_ids: list[int]) -> SecondAreas:
    """The second areas, among `groups`, of the helpers `helper_ids`."""
    areas = SecondAreas.none(len(helper_ids))
    index = {user_id: i for i, user_id in enumerate(helper_ids)}
    rows = Membership.objects.filter(
        group__in=groups, second_area=True, user_id__in=helper_ids
    ).select_related("group")
    for membership in rows:
        group = membership.group
        if group.center_lat is None or group.center_lon is None:
            continue
        i = index[membership.user_id]
        areas.lat[i], areas.lon[i] = group.center_lat, group.center_lon
        # At least a kilometre: a tiny area still has streets around its centre.
        areas.radius_km[i] = max(1.0, reach_km(group))
    return areas


def place_leftovers(
    *,
    asks: AskArrays,
    helpers: HelperArrays,
    areas: SecondAreas,
    excluded: dict[int, set[int]],
    chosen: np.ndarray,
    distance: np.ndarray,
    remaining: np.ndarray,
) -> list[int]:
    """Match the unmatched asks (chosen < 0) to helpers placed in their second areas.
    Updates `chosen`, `distance` and `remaining` in place; returns the asks it placed."""
    movable = np.flatnonzero(~np.isnan(areas.lat) & (remaining > 0))
    left = np.flatnonzero(chosen < 0)
    if not movable.size or not left.size:
        return []
    fields = {f.name: getattr(helpers, f.name)[movable] for f in dataclasses.fields(helpers)}
    fields.update(
        lat=areas.lat[movable],
        lon=areas.lon[movable],
        radius_km=areas.radius_km[movable],
        capacity=remaining[movable].astype(np.int32),
    )
    ask_fields = {f.name: getattr(asks, f.name)[left] for f in dataclasses.fields(asks)}
    result = solve(type(asks)(**ask_fields), type(helpers)(**fields))
    placed = []
    for j, picked in enumerate(result.helper.tolist()):
        if picked < 0:
            continue
        i, helper = int(left[j]), int(movable[picked])
        if helper in excluded.get(i, ()):
            continue
        chosen[i], distance[i] = helper, float(result.distance_km[j])
        remaining[helper] -= 1
        placed.append(i)
    return placed
