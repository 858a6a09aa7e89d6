"""Places and groups: the network, its areas and their wards, planned around real
place names and created through the groups service."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext as _

from mutua.core import geo
from mutua.demo.network._common import _distance, _gb_places
from mutua.demo.network.data import (
    AREA_RADIUS_KM,
    AREAS,
    LONDON,
    NETWORK_NAME,
    NETWORK_RADIUS_KM,
    NETWORK_SLUG,
    PLACE_NAMES,
    WARD_RADIUS_KM,
    Size,
)
from mutua.demo.network.plans import DemoPlan, GroupPlan, Place, Progress
from mutua.groups import services as group_services
from mutua.groups.models import Group, GroupKind
from mutua.groups.selectors import area_cells, covers


def plan_groups(size: Size) -> list[GroupPlan]:
    places = {p.name: p for p in _gb_places()}
    london = [p for p in _gb_places() if _distance(LONDON, (p.lat, p.lon)) <= NETWORK_RADIUS_KM]
    groups = [
        GroupPlan(
            name=NETWORK_NAME,
            slug=NETWORK_SLUG,
            kind=GroupKind.NETWORK,
            center=LONDON,
            radius_km=NETWORK_RADIUS_KM,
            resolution=7,
            description=(
                "The network of London's mutual aid groups. Asks that no local group covers "
                "land here, so that someone can pass them on."
            ),
            place="London",
        )
    ]
    anchors = [(borough, places[place]) for borough, place in AREAS[: size.areas]]
    for borough, anchor in anchors:
        center = (anchor.lat, anchor.lon)
        area_index = len(groups)
        groups.append(
            GroupPlan(
                name=f"{borough} Mutual Aid",
                slug=slugify(f"{borough} Mutual Aid"),
                kind=GroupKind.AREA,
                center=center,
                radius_km=AREA_RADIUS_KM,
                resolution=8,
                description=(
                    f"Neighbours helping neighbours across {borough}. Anyone can join, "
                    "and nobody has to prove they need help."
                ),
                place=anchor.name,
                parent=0,
            )
        )
        # Wards: named places nearer this area's heart than any other, spaced apart.
        chosen: list[Place] = []
        for place in london:
            point = (place.lat, place.lon)
            if _distance(center, point) > AREA_RADIUS_KM - WARD_RADIUS_KM:
                continue
            nearest = min(anchors, key=lambda a: _distance((a[1].lat, a[1].lon), point))
            if nearest[0] != borough:
                continue
            if any(_distance((c.lat, c.lon), point) < 1.3 for c in chosen):
                continue
            chosen.append(place)
            if len(chosen) == size.wards_per_area:
                break
        chosen.sort(key=lambda p: (_distance(center, (p.lat, p.lon)), p.name))
        for place in chosen:
            name = f"{place.name} Central" if place.name == borough else place.name
            groups.append(
                GroupPlan(
                    name=f"{name} Mutual Aid",
                    slug=slugify(f"{name} Mutual Aid"),
                    kind=GroupKind.WARD,
                    center=(place.lat, place.lon),
                    radius_km=WARD_RADIUS_KM,
                    resolution=8,
                    description=(
                        f"Street-by-street help around {place.name}: shopping, prescriptions, "
                        "a chat, a hand. Join in one click."
                    ),
                    place=place.name,
                    parent=area_index,
                )
            )
    return groups


def demo_exists() -> bool:
    return Group.objects.filter(slug=NETWORK_SLUG).exists()


def any_group_exists() -> bool:
    return Group.objects.exists()


def create_groups(plan: DemoPlan, progress: Progress) -> list[Group]:
    progress.stage(_("Groups"), len(plan.groups))
    created: list[Group] = []
    for spec in plan.groups:
        created.append(
            group_services.create_group(
                name=spec.name,
                slug=spec.slug,
                kind=spec.kind,
                parent=created[spec.parent] if spec.parent is not None else None,
                description=spec.description,
                cells=geo.disk(spec.center[0], spec.center[1], spec.radius_km, spec.resolution),
            )
        )
        progress.advance()
    return created


def name_places(groups: list[Group]) -> None:
    """Each area group adds the local names in PLACE_NAMES that lie inside its area (a small
    demo has smaller areas, so a name outside is left out rather than refused)."""
    for group in groups:
        if group.kind != GroupKind.AREA:
            continue
        borough = group.name.removesuffix(" Mutual Aid")
        cells = area_cells(group)
        places = [
            group_services.NewPlaceName(name, lat, lon, kind)
            for name, lat, lon, kind in PLACE_NAMES.get(borough, ())
            if covers(cells, lat, lon)
        ]
        if places:
            group_services.add_place_names(group=group, places=places)
