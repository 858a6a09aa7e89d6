"""A group's area as its page (/groups/<slug>/area/) and the API (GET
/api/v1/groups/<slug>/area) show it: its cells, its outline on a map, and the groups whose
areas overlap it, computed in one place for both."""

from __future__ import annotations

from dataclasses import dataclass

import h3

from mutua.groups import selectors as group_selectors
from mutua.groups.models import Group

# An outline drawn from more cells than this is drawn from coarser ones.
_MAX_OUTLINE_CELLS = 20_000


def area_outline(cells: list[str]) -> dict[str, object]:
    """The outline of an area's cells as a GeoJSON geometry, to draw on a map. Coarser
    when the area is huge, so a network the size of a country still draws at once."""
    if not cells:
        return {"type": "MultiPolygon", "coordinates": []}
    finest = max(h3.get_resolution(c) for c in cells)
    leaves = set(h3.uncompact_cells(cells, finest))
    while len(leaves) > _MAX_OUTLINE_CELLS and finest > 0:
        finest -= 1
        leaves = {h3.cell_to_parent(c, finest) for c in leaves}
    shape = h3.cells_to_h3shape(sorted(leaves))
    return dict(shape.__geo_interface__)


@dataclass(frozen=True)
class GroupArea:
    """A group's area: its (compacted) cells, sorted, and the groups, established or not,
    whose areas share a cell with it, smallest first."""

    group: Group
    cells: list[str]
    overlaps: list[Group]

    def outline(self) -> dict[str, object]:
        return area_outline(self.cells)

    def overlap_outlines(self) -> list[dict[str, object]]:
        """Each overlapping group's name and outline, for the map (one query for all)."""
        their_cells = group_selectors.cells_of_groups([other.pk for other in self.overlaps])
        return [
            {"name": other.name, "outline": area_outline(their_cells.get(other.pk, []))}
            for other in self.overlaps
        ]


def area_of(group: Group) -> GroupArea:
    cells = sorted(group_selectors.area_cells(group))
    overlaps = list(group_selectors.groups_overlapping_cells(frozenset(cells), exclude=group))
    return GroupArea(group=group, cells=cells, overlaps=overlaps)
