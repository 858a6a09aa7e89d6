"""Writes for groups: creating them, setting their area, joining and leaving, the place
names they use."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import h3
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mutua.core import geo
from mutua.core.errors import InvalidInput
from mutua.core.gazetteer import fold
from mutua.core.text import clean_text
from mutua.groups.models import Group, GroupCell, GroupKind, Membership, PlaceKind, PlaceName
from mutua.groups.selectors import area_cells, covers
from mutua.people.models import User

_NAME_MAX_LENGTH = 120  # the widths of the name and slug columns
_SLUG_MAX_LENGTH = 80
_MAX_AREA_LEAVES = 1_000_000


def clean_area_cells(cells: list[str]) -> list[str]:
    """Cells fit to be a group's area, compacted; InvalidInput (field "cells") if not."""
    bad = [c for c in cells if not geo.is_cell(c)]
    if bad:
        raise InvalidInput(_("Not an H3 cell: %(cell)s") % {"cell": bad[0]}, field="cells")
    if not cells:
        raise InvalidInput(_("A group needs an area of at least one cell."), field="cells")
    # Compacting merges seven children into their parent, so a covering test is a short
    # lookup of the point's ancestors however big the area is.
    finest = max(h3.get_resolution(c) for c in cells)
    # Every cell is first spread to the finest resolution given; a country-sized cell next
    # to a house-sized one would make billions of cells and stall the server.
    if sum(7 ** (finest - h3.get_resolution(c)) for c in set(cells)) > _MAX_AREA_LEAVES:
        raise InvalidInput(
            _("This area is too large for the detail given; use coarser cells."), field="cells"
        )
    leaves = set(h3.uncompact_cells(sorted(set(cells)), finest))
    return sorted(str(c) for c in h3.compact_cells(sorted(leaves)))


@transaction.atomic
def create_group(
    *,
    name: str,
    cells: list[str],
    kind: str = GroupKind.WARD,
    slug: str = "",
    parent: Group | None = None,
    description: str = "",
) -> Group:
    """Create a group covering `cells` (H3 cells of any resolution)."""
    if not name.strip():
        raise InvalidInput(_("A group needs a name."), field="name")
    name = clean_text(name, field="name", label=_("name"), limit=_NAME_MAX_LENGTH)
    description = clean_text(description, field="description", label=_("about"), limit=4000)
    if kind not in GroupKind.values:
        raise InvalidInput(_("Unknown kind of group: %(kind)s") % {"kind": kind}, field="kind")
    slug = _clean_slug(slug.strip()) if slug.strip() else _slug_from(name)
    if Group.objects.filter(slug=slug).exists():
        raise InvalidInput(_taken(slug), field="slug")
    compact = clean_area_cells(cells)
    try:
        with transaction.atomic():
            group = Group.objects.create(
                name=name, slug=slug, kind=kind, parent=parent, description=description
            )
    except IntegrityError:
        # Someone created a group with the same short name since the check above.
        raise InvalidInput(_taken(slug), field="slug") from None
    _store_area(group, compact)
    return group


def _taken(slug: str) -> str:
    return _("The short name %(slug)s is taken.") % {"slug": slug}


def _clean_slug(slug: str) -> str:
    try:
        validate_slug(slug)
    except ValidationError:
        raise InvalidInput(
            _("Choose a short name made of letters, numbers and hyphens."), field="slug"
        ) from None
    if len(slug) > _SLUG_MAX_LENGTH:
        raise InvalidInput(
            _("The short name is too long (at most %(limit)d characters).")
            % {"limit": _SLUG_MAX_LENGTH},
            field="slug",
        )
    return slug


def _slug_from(name: str) -> str:
    # A long name still makes a usable short name; cutting may leave a trailing hyphen.
    slug = slugify(name)[:_SLUG_MAX_LENGTH].strip("-")
    if not slug:
        raise InvalidInput(_("Choose a short name made of letters and numbers."), field="slug")
    return slug


@transaction.atomic
def set_group_area(*, group: Group, cells: list[str]) -> Group:
    """Replace a group's area; asks already routed stay with the group."""
    compact = clean_area_cells(cells)
    group.cells.all().delete()
    _store_area(group, compact)
    return group


def _store_area(group: Group, compact: list[str]) -> None:
    GroupCell.objects.bulk_create([GroupCell(group=group, cell=c) for c in compact])
    group.area_km2 = geo.cells_area_km2(compact)
    group.center_lat, group.center_lon = _centre(compact)
    group.save(update_fields=["area_km2", "center_lat", "center_lon"])


def _centre(cells: list[str]) -> tuple[float, float]:
    """The area-weighted mean of the cells' centres, taken on the sphere.

    Weighted, because a compacted parent stands for seven children; on the sphere, because
    a plain mean of longitudes puts a group astride the 180th meridian near Greenwich.
    """
    x = y = z = 0.0
    for cell in cells:
        lat, lon = (math.radians(d) for d in geo.cell_center(cell))
        weight = float(h3.cell_area(cell, unit="km^2"))
        x += weight * math.cos(lat) * math.cos(lon)
        y += weight * math.cos(lat) * math.sin(lon)
        z += weight * math.sin(lat)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


@transaction.atomic
def set_parent(*, group: Group, parent: Group | None) -> Group:
    """Place a group inside another (or outside any): carried out by the group's own
    decision to join or leave a network (mutua.governance)."""
    group.parent = parent
    group.save(update_fields=["parent"])
    return group


def join_group(*, group: Group, user: User) -> Membership:
    """Join a group. Open to anyone, no questions; joining twice is harmless."""
    try:
        with transaction.atomic():
            membership, _created = Membership.objects.get_or_create(group=group, user=user)
    except IntegrityError:
        # Two clicks raced; the other one created the row.
        membership = Membership.objects.get(group=group, user=user)
    return membership


def leave_group(*, group: Group, user: User) -> None:
    """Leave a group. Leaving a group one is not in does nothing."""
    Membership.objects.filter(group=group, user=user).delete()


@transaction.atomic
def help_in_second_area(*, group: Group, user: User) -> Membership:
    """Offer to help in `group`'s area as well as near home: join it if need be and make it
    the member's one second area (a second area chosen before is given up). Dispatch then
    places them there for the asks nobody nearer could take."""
    if group.center_lat is None or group.center_lon is None:
        raise InvalidInput(_("%(group)s has no area on the map yet.") % {"group": group.name})
    # Lock the member's memberships, so two clicks cannot leave two second areas.
    list(Membership.objects.select_for_update().filter(user=user).values_list("pk", flat=True))
    Membership.objects.filter(user=user, second_area=True).exclude(group=group).update(
        second_area=False
    )
    membership, _created = Membership.objects.get_or_create(group=group, user=user)
    if not membership.second_area:
        membership.second_area = True
        membership.save(update_fields=["second_area"])
    return membership


@transaction.atomic
def stop_second_area(*, user: User, group: Group | None = None) -> None:
    """Stop helping in the second area (only if it is `group`'s, when one is named); the
    member stays in its group unless they leave it."""
    chosen = Membership.objects.filter(user=user, second_area=True)
    if group is not None:
        chosen = chosen.filter(group=group)
    chosen.update(second_area=False)


@dataclass(frozen=True)
class NewPlaceName:
    """One row of a group's place-name upload."""

    name: str
    lat: float
    lon: float
    kind: str = PlaceKind.DISTRICT


_PLACE_NAME_MAX_LENGTH = 120
MAX_PLACE_NAMES = 5000


def check_place_name(*, place: NewPlaceName, area: frozenset[str], where: str) -> NewPlaceName:
    """`place` cleaned, or InvalidInput saying what is wrong with it, beginning with `where`
    (the row or feature of the file). Each place must lie inside the group's own `area`
    (its cells, `selectors.area_cells`): a group names its streets, not its neighbours'.
    Writes nothing, so an import can report every bad row before keeping any."""
    name = clean_text(place.name, field="file", label=where, limit=_PLACE_NAME_MAX_LENGTH)
    if not fold(name):
        raise InvalidInput(_("%(row)s has no name.") % {"row": where}, field="file")
    if place.kind not in PlaceKind.values:
        raise InvalidInput(
            _("%(row)s: unknown kind %(kind)s (use one of %(kinds)s).")
            % {"row": where, "kind": place.kind, "kinds": ", ".join(PlaceKind.values)},
            field="file",
        )
    if not geo.valid_point(place.lat, place.lon) or not covers(area, place.lat, place.lon):
        raise InvalidInput(
            _("%(row)s: %(name)s is outside the group's area.") % {"row": where, "name": name},
            field="file",
        )
    return NewPlaceName(name, place.lat, place.lon, place.kind)


@transaction.atomic
def add_place_names(*, group: Group, places: Sequence[NewPlaceName]) -> list[PlaceName]:
    """Add names people use for places in the group's area, or move ones it has.

    All or nothing: one bad row refuses the upload, naming the row, so a group never
    ends up with half a list. The caller logs who added them (mutua.exchange.services
    .places, which also reports every bad row of a file at once)."""
    if not places:
        raise InvalidInput(_("The file has no place names in it."), field="file")
    if len(places) > MAX_PLACE_NAMES:
        raise InvalidInput(
            _("At most %(limit)d place names at once.") % {"limit": MAX_PLACE_NAMES}, field="file"
        )
    cells = area_cells(group)
    cleaned: dict[str, NewPlaceName] = {}
    for number, place in enumerate(places, start=1):
        where = _("Row %(row)d") % {"row": number}
        checked = check_place_name(place=place, area=cells, where=where)
        cleaned[fold(checked.name)[:_PLACE_NAME_MAX_LENGTH]] = checked
    saved = []
    for folded, place in cleaned.items():
        row, _created = PlaceName.objects.update_or_create(
            group=group,
            folded=folded,
            defaults={"name": place.name, "lat": place.lat, "lon": place.lon, "kind": place.kind},
        )
        saved.append(row)
    return saved


def area_from_geojson(data: object) -> list[str]:
    """The cells of a drawn or imported GeoJSON area (a council's ward boundaries, say),
    or InvalidInput saying why it cannot be used. Writes nothing."""
    try:
        return geo.cells_of_geojson(data)
    except geo.NotAnArea as problem:
        raise InvalidInput(
            _("That GeoJSON cannot be an area: %(why)s.") % {"why": problem}, field="area"
        ) from None
