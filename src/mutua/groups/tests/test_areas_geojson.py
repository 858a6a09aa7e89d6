"""Areas imported as GeoJSON (three wards shaped like Hackney's), stored as H3 cells, and
asks routed by them."""

from __future__ import annotations

import itertools
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutua.core import geo
from mutua.core.tests.factories import establish, make_ask
from mutua.groups import services
from mutua.groups.models import Group

WARDS = Path(__file__).parent / "fixtures" / "hackney_wards.geojson"

# Points inside each ward's polygon (checked below by the polygon itself, not by cells).
INSIDE = {
    "De Beauvoir": (51.5390, -0.0830),
    "Dalston": (51.5480, -0.0730),
    "Hackney Central": (51.5460, -0.0580),
}
OUTSIDE = (51.5600, -0.1000)


def inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    """Ray casting on the polygon's outer ring: the fixture's truth, independent of H3."""
    lat, lon = point
    found = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


@pytest.fixture
def wards(db) -> dict[str, Group]:
    made = {}
    for name in INSIDE:
        group = services.create_group(name=name, kind="ward", cells=[geo.public_cell(0, 0)])
        out = StringIO()
        call_command("area", group.slug, str(WARDS), "--feature", name, stdout=out)
        assert f"{group.slug} now covers" in out.getvalue()
        made[name] = establish(group)
    return made


def test_the_fixture_points_lie_in_their_wards():
    features = json.loads(WARDS.read_text())["features"]
    for feature in features:
        name = feature["properties"]["ward"]
        geometry = feature["geometry"]
        rings = (
            [geometry["coordinates"][0]]
            if geometry["type"] == "Polygon"
            else [polygon[0] for polygon in geometry["coordinates"]]
        )
        assert any(inside(INSIDE[name], ring) for ring in rings)
        assert not any(inside(OUTSIDE, ring) for ring in rings)


def test_each_ward_is_stored_as_cells_of_about_its_size(wards):
    for group in wards.values():
        group.refresh_from_db()
        assert 0.3 < group.area_km2 < 2.5
        assert group.cells.exists()
        # The placeholder cell at 0,0 was replaced.
        assert not group.cells.filter(cell=geo.public_cell(0, 0)).exists()


def test_asks_are_routed_to_the_ward_whose_polygon_holds_them(wards):
    for name, (lat, lon) in INSIDE.items():
        assert make_ask(lat=lat, lon=lon).group == wards[name], name
    assert make_ask(lat=OUTSIDE[0], lon=OUTSIDE[1]).group is None


def test_a_multipolygon_ward_covers_its_detached_part(wards):
    detached = (51.5530, -0.0453)

    assert make_ask(lat=detached[0], lon=detached[1]).group == wards["Hackney Central"]


def test_geojson_that_is_not_an_area_is_refused_in_one_line(db, tmp_path):
    group = services.create_group(name="Somewhere", kind="ward", cells=[geo.public_cell(0, 0)])
    point = tmp_path / "point.geojson"
    point.write_text(json.dumps({"type": "Point", "coordinates": [-0.07, 51.54]}))

    with pytest.raises(CommandError, match="cannot be an area: no Polygon"):
        call_command("area", group.slug, str(point))
    with pytest.raises(CommandError, match="No feature has a property equal to Nowhere"):
        call_command("area", group.slug, str(WARDS), "--feature", "Nowhere")
