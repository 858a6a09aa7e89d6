"""Reading a file of place names, CSV or GeoJSON, into rows to check (docs/places.md).

Nothing here knows the group: each row keeps where it came from ("line 4", "feature 2"),
so that every problem the service finds can be reported against it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mutua.exchange import csvio
from mutua.groups.models import PlaceKind
from mutua.groups.services import NewPlaceName

MAX_FILE_BYTES = 2_000_000  # 5,000 names with long properties fit in well under this

# The headers each column is known by, folded to lower case.
_HEADERS = {
    "name": ("name", "place", "place name"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "kind": ("kind", "type"),
}


class NotAPlaceFile(ValueError):
    """The file as a whole cannot be read; the message says why, for a person."""


@dataclass
class PlaceFile:
    source: str  # "csv" or "geojson"
    # In the file's order, (where it came from, the row as read), or for a row that could
    # not be read (where, "line 4: what is wrong").
    rows: list[tuple[str, NewPlaceName | str]] = field(default_factory=list)


def read_place_file(data: bytes) -> PlaceFile:
    """The rows of a CSV or GeoJSON file of place names (GeoJSON when it starts with `{`)."""
    if len(data) > MAX_FILE_BYTES:
        raise NotAPlaceFile(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_FILE_BYTES // 1_000_000}
        )
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _read_geojson(data)
    return _read_csv(data)


def _number(text: object) -> float | None:
    try:
        value = float(str(text).strip().replace(",", ".")) if text is not None else math.nan
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _line(where: str, why: str) -> str:
    return _("%(where)s: %(why)s") % {"where": where, "why": why}


def _row(where: str, name: object, lat: object, lon: object, kind: object) -> NewPlaceName | str:
    """The row, or the problem with it."""
    name_text = str(name or "").strip()
    if not name_text:
        return _line(where, _("no name"))
    lat_value, lon_value = _number(lat), _number(lon)
    if lat_value is None or lon_value is None:
        return _line(
            where, _("%(name)s needs a latitude and a longitude in degrees") % {"name": name_text}
        )
    kind_text = str(kind or "").strip().lower() or PlaceKind.DISTRICT
    return NewPlaceName(name_text, lat_value, lon_value, kind_text)


def _read_csv(data: bytes) -> PlaceFile:
    try:
        table = csvio.read_table(data)
    except csvio.TableError as exc:
        raise NotAPlaceFile(str(exc)) from None
    folded = [header.strip().lower() for header in table.headers]
    index: dict[str, int] = {}
    for column, names in _HEADERS.items():
        found = next((i for i, header in enumerate(folded) if header in names), None)
        if found is not None:
            index[column] = found
    missing = [column for column in ("name", "lat", "lon") if column not in index]
    if missing:
        raise NotAPlaceFile(
            _("The file needs the columns name, lat and lon (and may have kind); missing: %(m)s.")
            % {"m": ", ".join(missing)}
        )
    place_file = PlaceFile(source="csv")
    for line, cells in table.rows:
        values = {c: cells[i] if i < len(cells) else "" for c, i in index.items()}
        where = _("line %(line)d") % {"line": line}
        row = _row(where, values["name"], values["lat"], values["lon"], values.get("kind"))
        place_file.rows.append((where, row))
    return place_file


def _read_geojson(data: bytes) -> PlaceFile:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise NotAPlaceFile(_("The file is not valid GeoJSON.")) from None
    if isinstance(document, dict) and document.get("type") == "Feature":
        features: object = [document]
    elif isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
    else:
        features = None
    if not isinstance(features, list):
        raise NotAPlaceFile(_("The GeoJSON must be a FeatureCollection of points."))
    place_file = PlaceFile(source="geojson")
    for number, feature in enumerate(features, start=1):
        where = _("feature %(n)d") % {"n": number}
        place_file.rows.append((where, _feature(where, feature)))
    return place_file


def _feature(where: str, feature: object) -> NewPlaceName | str:
    if not isinstance(feature, dict):
        return _line(where, _("not a GeoJSON feature"))
    geometry = feature.get("geometry")
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        properties = {}
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return _line(where, _("only Point features are read (a place name is one point)"))
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return _line(where, _("the point has no coordinates"))
    # GeoJSON gives longitude first (RFC 7946).
    return _row(
        where, properties.get("name"), coordinates[1], coordinates[0], properties.get("kind")
    )
