"""Points in words and the nearest group: what lists and the hotline say about a place
already known (an ask's coarse point), where places.py reads a place from typed words."""

from __future__ import annotations

from django.db.models import Q

from mutua.core import geo
from mutua.core.gazetteer import gazetteer
from mutua.groups.models import Group, PlaceName
from mutua.groups.selectors import nearest_groups

# How near a point a group's name or a town must be to name it in words.
_NAMED_WITHIN_KM = 1.5
_TOWN_WITHIN_KM = 5.0


def nearest_place_names(points: list[tuple[float, float]]) -> list[str | None]:
    """A coarse place in words for each point ("Dalston", "Canonbury"): the nearest name
    a group added within 1.5 km, else the nearest town or district within 5 km, else
    None. Streets are left out: a street is a line, and its point may be far along it.
    One query for all the points (a list page's asks), whatever their number."""
    if not points:
        return []
    near_any = Q(pk__in=[])
    for lat, lon in points:
        lo_lat, hi_lat, lo_lon, hi_lon = geo.bounding_box(lat, lon, _NAMED_WITHIN_KM)
        near_any |= Q(lat__gte=lo_lat, lat__lte=hi_lat, lon__gte=lo_lon, lon__lte=hi_lon)
    rows = list(
        PlaceName.objects.filter(near_any).exclude(kind="street").values_list("name", "lat", "lon")
    )
    names: list[str | None] = []
    for lat, lon in points:
        named = [(geo.haversine_km(lat, lon, r_lat, r_lon), name) for name, r_lat, r_lon in rows]
        named = [(d, n) for d, n in named if d <= _NAMED_WITHIN_KM]
        if named:
            names.append(min(named)[1])
            continue
        place = gazetteer().nearest(lat, lon, within_km=_TOWN_WITHIN_KM)
        names.append(None if place is None else place.name)
    return names


def nearest_group(lat: float, lon: float) -> tuple[Group, float] | None:
    """The established group whose area comes nearest the point, and how far its edge is
    (km), for an ask no group covers."""
    found = nearest_groups(lat, lon, limit=1)
    return found[0] if found else None
