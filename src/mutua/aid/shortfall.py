"""Where help is missing: for each area of a network, the need (asks a week, over the
last WEEKS weeks) against the helpers within reach of it, so that groups with helpers to
spare can see where others are short of people. Figures only: no names, no contact, no
exact place (an area is shown at its group's centre).

A helper is within reach of an area when their home area is no farther from the area's
centre than their travel radius plus the area's own reach (groups.selectors.reach_km),
or when they chose that area as their second area. Only the helpers who could be
suggested an ask count: members of one of the network's groups, with an active account,
not taking a break, a home area set and at least one kind of help ticked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db.models import Count
from django.utils import timezone

from mutua.aid.models import Ask
from mutua.aid.network import nested_groups
from mutua.core import geo
from mutua.groups.models import Group, Membership
from mutua.groups.selectors import reach_km
from mutua.people.models import Profile

WEEKS = 4


@dataclass(frozen=True)
class AreaNeed:
    group: Group
    asks_per_week: float
    helpers_in_reach: int
    reach_km: float

    @property
    def radius_m(self) -> float:
        """The area's size on the map (at least that of an ask's public area)."""
        return max(500.0, round(self.reach_km * 1000))

    @property
    def asks_per_helper(self) -> float:
        """Asks a week per helper in reach; with no helper, the asks a week themselves."""
        if self.helpers_in_reach:
            return self.asks_per_week / self.helpers_in_reach
        return self.asks_per_week

    @property
    def short(self) -> bool:
        """More asks a week than helpers in reach: some asks wait, or go untaken."""
        return self.asks_per_week > self.helpers_in_reach


def where_help_is_missing(network: Group, *, now: datetime | None = None) -> list[AreaNeed]:
    """Every area of the network (the group and the groups nested in it, those with an
    area on the map), most short of helpers first."""
    now = now or timezone.now()
    areas = [
        group
        for group, _depth in nested_groups(network)
        if group.center_lat is not None and group.center_lon is not None
    ]
    ids = [group.pk for group in areas]
    asks = dict(
        Ask.objects.filter(group_id__in=ids, created_at__gte=now - timedelta(weeks=WEEKS))
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    helpers = _helpers(ids)
    seconds: dict[int, set[int]] = {}
    for group_id, user_id in Membership.objects.filter(
        group_id__in=ids, second_area=True, user_id__in=helpers["user"]
    ).values_list("group_id", "user_id"):
        seconds.setdefault(group_id, set()).add(user_id)
    needs = []
    for group in areas:
        reach = reach_km(group)
        near = _km_from(group, helpers["lat"], helpers["lon"]) <= helpers["radius"] + reach
        in_reach = set(helpers["user"][near].tolist()) | seconds.get(group.pk, set())
        needs.append(
            AreaNeed(
                group=group,
                asks_per_week=round(asks.get(group.pk, 0) / WEEKS, 1),
                helpers_in_reach=len(in_reach),
                reach_km=reach,
            )
        )
    return sorted(needs, key=lambda n: (-n.asks_per_helper, -n.asks_per_week, n.group.name))


def _km_from(group: Group, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle km from the group's centre to each point (haversine, as core.geo)."""
    assert group.center_lat is not None and group.center_lon is not None  # areas only
    lat0, lon0 = np.radians(group.center_lat), np.radians(group.center_lon)
    lat1, lon1 = np.radians(lat), np.radians(lon)
    a = (
        np.sin((lat1 - lat0) / 2) ** 2
        + np.cos(lat0) * np.cos(lat1) * np.sin((lon1 - lon0) / 2) ** 2
    )
    return np.asarray(2 * geo.EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)), dtype=np.float64)


def _helpers(group_ids: list[int]) -> dict[str, np.ndarray]:
    """The network's helpers who could be suggested an ask: user ids, homes, radii."""
    rows = Profile.objects.filter(
        user_id__in=Membership.objects.filter(group_id__in=group_ids).values("user_id"),
        user__is_active=True,
        paused=False,
        home_lat__isnull=False,
        home_lon__isnull=False,
    ).values_list("user_id", "home_lat", "home_lon", "travel_radius_km", "skills")
    able = [row[:4] for row in rows if row[4]]
    users, lats, lons, radii = zip(*able, strict=True) if able else ((), (), (), ())
    return {
        "user": np.array(users, dtype=np.int64),
        "lat": np.array(lats, dtype=np.float64),
        "lon": np.array(lons, dtype=np.float64),
        "radius": np.array(radii, dtype=np.float64),
    }
