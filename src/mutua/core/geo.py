"""Geography helpers: coarse public places as H3 cells, distances, typed points.

Place names are looked up in mutua.core.gazetteer and mutua.groups.selectors.places."""

from __future__ import annotations

import math
import re

import h3

# Resolution 8 cells are about 0.74 km^2 (roughly 1 km across): coarse enough that a
# public board never points at one house, fine enough for a helper to judge the walk.
PUBLIC_RESOLUTION = 8
EARTH_RADIUS_KM = 6371.0088


def valid_point(lat: float, lon: float) -> bool:
    return (
        math.isfinite(lat)
        and math.isfinite(lon)
        and -90.0 <= lat <= 90.0
        and -180.0 <= lon <= 180.0
    )


_TYPED_POINT = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_point(text: str) -> tuple[float, float] | None:
    """A "lat, lon" pair typed as text, or None if the text is not one."""
    match = _TYPED_POINT.match(text)
    if match is None:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    return (lat, lon) if valid_point(lat, lon) else None


def public_cell(lat: float, lon: float) -> str:
    return str(h3.latlng_to_cell(lat, lon, PUBLIC_RESOLUTION))


def cell_center(cell: str) -> tuple[float, float]:
    lat, lon = h3.cell_to_latlng(cell)
    return float(lat), float(lon)


def ancestors(lat: float, lon: float, resolution: int = 15) -> list[str]:
    """The cell holding the point at every resolution from 0 to `resolution`."""
    leaf = h3.latlng_to_cell(lat, lon, resolution)
    return [str(h3.cell_to_parent(leaf, r)) for r in range(resolution + 1)]


def cell_ancestors(cell: str) -> set[str]:
    """The cells that contain this one, at every coarser resolution."""
    return {str(h3.cell_to_parent(cell, r)) for r in range(h3.get_resolution(cell))}


def cells_area_km2(cells: list[str]) -> float:
    return float(sum(h3.cell_area(c, unit="km^2") for c in cells))


def disk(lat: float, lon: float, radius_km: float, resolution: int) -> list[str]:
    """Cells at `resolution` covering a disk around the point, compacted."""
    center = h3.latlng_to_cell(lat, lon, resolution)
    edge = h3.average_hexagon_edge_length(resolution, unit="km")
    rings = max(0, math.ceil(radius_km / (edge * math.sqrt(3))))
    return sorted(str(c) for c in h3.compact_cells(h3.grid_disk(center, rings)))


def is_cell(value: str) -> bool:
    try:
        return bool(h3.is_valid_cell(value))
    except (TypeError, ValueError):
        return False


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) that contains every point within radius_km."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


# Resolution 9 cells are about 0.1 km^2: fine enough to follow a ward's boundary street
# by street, coarse enough that a borough is a few thousand cells before compacting.
AREA_RESOLUTION = 9
_AREA_TYPES = ("Polygon", "MultiPolygon")


class NotAnArea(ValueError):
    """GeoJSON that holds no polygon, or one h3 cannot read; the message says why."""


def geojson_polygons(data: object) -> list[dict[str, object]]:
    """Every Polygon and MultiPolygon in a GeoJSON object (a geometry, a Feature or a
    FeatureCollection), in order. NotAnArea when there is none."""
    found: list[dict[str, object]] = []

    def visit(node: object) -> None:
        if not isinstance(node, dict):
            raise NotAnArea("not a GeoJSON object")
        kind = node.get("type")
        if kind == "FeatureCollection":
            features = node.get("features")
            if not isinstance(features, list):
                raise NotAnArea("a FeatureCollection needs a list of features")
            for feature in features:
                visit(feature)
        elif kind == "Feature":
            if node.get("geometry") is not None:
                visit(node["geometry"])
        elif kind == "GeometryCollection":
            for geometry in node.get("geometries") or []:
                visit(geometry)
        elif kind in _AREA_TYPES:
            found.append(node)

    visit(data)
    if not found:
        raise NotAnArea("no Polygon or MultiPolygon in it")
    return found


def cells_of_geojson(data: object, resolution: int = AREA_RESOLUTION) -> list[str]:
    """The H3 cells (at `resolution`) whose centres lie inside the GeoJSON's polygons
    (h3's polygon-to-cells, holes respected), compacted. NotAnArea when it has no
    polygon or one too small to hold a cell's centre."""
    cells: set[str] = set()
    for polygon in geojson_polygons(data):
        try:
            cells.update(str(c) for c in h3.geo_to_cells(polygon, resolution))
        except (ValueError, TypeError, KeyError, h3.H3BaseException) as exc:
            raise NotAnArea(f"h3 cannot read a polygon: {exc}") from None
    if not cells:
        raise NotAnArea("the polygons are too small for any cell")
    return sorted(str(c) for c in h3.compact_cells(sorted(cells)))
