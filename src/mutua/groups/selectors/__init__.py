"""Reads for groups."""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from mutua.core import geo
from mutua.core.errors import NotFound
from mutua.groups.models import Group, GroupCell, GroupKind, Membership, PlaceName
from mutua.people.models import User


def smallest_group_covering(lat: float, lon: float) -> Group | None:
    """The established group with the smallest area that covers the point, or None.

    A group not yet established receives nothing: founding a tiny group over a
    neighbourhood must not divert its asks (see mutua.governance's establishment)."""
    row = (
        GroupCell.objects.filter(
            cell__in=geo.ancestors(lat, lon), group__established_at__isnull=False
        )
        .select_related("group")
        .order_by("group__area_km2", "group_id")
        .first()
    )
    return row.group if row else None


# Wider first: a network holds areas, which hold wards, which hold streets.
KIND_ORDER = (GroupKind.NETWORK, GroupKind.AREA, GroupKind.WARD, GroupKind.STREET)


def is_wider_kind(group: Group, *, than: Group) -> bool:
    """Whether `group` is of a wider kind than `than` (a ward may sit in an area or a
    network, never in a street)."""
    return KIND_ORDER.index(GroupKind(group.kind)) < KIND_ORDER.index(GroupKind(than.kind))


def ancestor_ids(group: Group) -> set[int]:
    """The ids of `group` and of every group it sits inside."""
    seen: set[int] = set()
    current: int | None = group.pk
    while current is not None and current not in seen:
        seen.add(current)
        current = Group.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return seen


def networks_to_join(group: Group) -> QuerySet[Group]:
    """The groups `group` could join: of a wider kind, not the one it is in, not inside
    it (the proposal's own check says why another cannot)."""
    wider = KIND_ORDER[: KIND_ORDER.index(GroupKind(group.kind))]
    return (
        Group.objects.filter(kind__in=wider)
        .exclude(pk=group.parent_id or 0)
        .exclude(pk=group.pk)
        .order_by("name")
    )


def established_groups_covering(lat: float, lon: float) -> list[Group]:
    """Every established group whose area covers the point, smallest area first."""
    return list(
        Group.objects.filter(cells__cell__in=geo.ancestors(lat, lon), established_at__isnull=False)
        .distinct()
        .order_by("area_km2", "pk")
    )


class GroupRouter:
    """smallest_group_covering for many points: every group's area is read once.

    For imports of thousands of asks, where a query per point would dominate.
    """

    def __init__(self) -> None:
        self._by_cell: dict[str, tuple[float, int]] = {}
        rows = GroupCell.objects.filter(group__established_at__isnull=False).values_list(
            "cell", "group_id", "group__area_km2"
        )
        for cell, group_id, area in rows:
            # Keep the smallest group per cell, ties to the lowest id, as the query does.
            if cell not in self._by_cell or (area, group_id) < self._by_cell[cell]:
                self._by_cell[cell] = (area, group_id)
        self._groups = Group.objects.in_bulk({g for _a, g in self._by_cell.values()})

    def smallest_covering(self, lat: float, lon: float) -> Group | None:
        found = [self._by_cell[c] for c in geo.ancestors(lat, lon) if c in self._by_cell]
        return self._groups[min(found)[1]] if found else None


def group_by_slug(slug: str) -> Group:
    try:
        return Group.objects.select_related("parent").get(slug=slug)
    except Group.DoesNotExist:
        raise NotFound(slug) from None


def groups_with_counts() -> QuerySet[Group]:
    return Group.objects.annotate(member_count=Count("memberships")).select_related("parent")


def is_member(*, group: Group, user: User | None) -> bool:
    """Whether `user` belongs to `group` now: the one membership check of every app.
    A visitor (None, or not signed in) belongs to no group."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(group=group, user=user).exists()


def groups_of(user: User) -> QuerySet[Group]:
    return Group.objects.filter(memberships__user=user)


def group_page(slug: str) -> Group:
    """A group with `member_count` and `open_ask_count` for its public page."""
    qs = Group.objects.select_related("parent").annotate(
        member_count=Count("memberships", distinct=True),
        open_ask_count=Count("asks", filter=Q(asks__status="open"), distinct=True),
    )
    try:
        return qs.get(slug=slug)
    except Group.DoesNotExist:
        raise NotFound(slug) from None


def group_summaries() -> QuerySet[Group]:
    """Every group with `member_count` and `open_ask_count`, for lists and the API."""
    return Group.objects.select_related("parent").annotate(
        member_count=Count("memberships", distinct=True),
        open_ask_count=Count("asks", filter=Q(asks__status="open"), distinct=True),
    )


def area_cells(group: Group) -> frozenset[str]:
    """The group's area as its (compacted) cells, for testing many points at once."""
    return frozenset(GroupCell.objects.filter(group=group).values_list("cell", flat=True))


def cells_of_groups(group_ids: list[int]) -> dict[int, list[str]]:
    """The (compacted) cells of several groups' areas at once, sorted, by group id."""
    found: dict[int, list[str]] = {}
    rows = GroupCell.objects.filter(group_id__in=group_ids).order_by("group_id", "cell")
    for group_id, cell in rows.values_list("group_id", "cell"):
        found.setdefault(group_id, []).append(cell)
    return found


def covers(cells: frozenset[str], lat: float, lon: float) -> bool:
    """Whether the point lies inside the area made of `cells` (see area_cells)."""
    return not cells.isdisjoint(geo.ancestors(lat, lon))


def place_names_of(group: Group) -> QuerySet[PlaceName]:
    """The place names the group added, by name (docs/places.md)."""
    return PlaceName.objects.filter(group=group).order_by("name")


def reach_km(group: Group) -> float:
    """How far the group's area reaches from its centre, taken as a disc of the same size:
    areas are roughly round, and this is only used to say who is within reach of one."""
    return math.sqrt(max(group.area_km2, 0.0) / math.pi)


def second_area_of(user: User) -> Group | None:
    """The group whose area the member helps in as well as near home, if they chose one."""
    membership = (
        Membership.objects.filter(user=user, second_area=True).select_related("group").first()
    )
    return membership.group if membership else None


def members_of(group: Group) -> QuerySet[Membership]:
    return Membership.objects.filter(group=group).select_related("user__profile")


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("group")


def overlapping_groups(group: Group, *, established: bool = True) -> QuerySet[Group]:
    """Groups, other than this one, established or not as asked, whose area shares at
    least a cell with its.

    Areas are compacted H3 cells of mixed resolutions: two overlap when a cell of one is a
    cell of the other, or an ancestor or a descendant of one."""
    return groups_overlapping_cells(area_cells(group), exclude=group, established=established)


def groups_overlapping_cells(
    cells: frozenset[str], *, exclude: Group | None = None, established: bool | None = None
) -> QuerySet[Group]:
    """Groups whose area shares at least a cell with the area made of `cells`: all of
    them, or only the established ones (True) or the new ones (False), smallest first."""
    upward = set(cells).union(*(geo.cell_ancestors(c) for c in cells))
    found: set[int] = set()
    rows = GroupCell.objects.all()
    if established is not None:
        rows = rows.filter(group__established_at__isnull=not established)
    if exclude is not None:
        rows = rows.exclude(group=exclude)
    for group_id, cell in rows.values_list("group_id", "cell"):
        if group_id in found:
            continue
        if cell in upward or not cells.isdisjoint(geo.cell_ancestors(cell)):
            found.add(group_id)
    return Group.objects.filter(pk__in=found).order_by("area_km2", "pk")


def ancestors_of(group: Group) -> list[Group]:
    """The groups this one is part of, nearest first (a loop of parents stops)."""
    chain: list[Group] = []
    seen = {group.pk}
    parent_id = group.parent_id
    while parent_id is not None and parent_id not in seen:
        parent = Group.objects.get(pk=parent_id)
        chain.append(parent)
        seen.add(parent.pk)
        parent_id = parent.parent_id
    return chain


def _centres() -> list[tuple[str, float, float]]:
    """Name and centre of every group with an area, largest area first."""
    rows = Group.objects.order_by("-area_km2", "pk").values_list("name", "center_lat", "center_lon")
    return [(name, lat, lon) for name, lat, lon in rows if lat is not None and lon is not None]


def map_centre() -> tuple[float, float] | None:
    """Where a map should open: the middle of the largest group's area, if there is one."""
    centres = _centres()
    return None if not centres else (centres[0][1], centres[0][2])


def edge_km(group: Group, lat: float, lon: float) -> float:
    """How far the point is from the group's area, taken as a disc of its size around its
    centre (0 inside it); infinite for a group with no area."""
    if group.center_lat is None or group.center_lon is None:
        return math.inf
    centre_km = geo.haversine_km(lat, lon, group.center_lat, group.center_lon)
    return max(0.0, centre_km - reach_km(group))


def nearest_groups(
    lat: float, lon: float, *, limit: int = 3, among: Iterable[Group] | None = None
) -> list[tuple[Group, float]]:
    """The established groups whose areas come nearest the point, nearest first, each
    with how far its edge is (km). `among` gives the groups already read, for many points."""
    if among is None:
        among = Group.objects.filter(established_at__isnull=False).exclude(center_lat=None)
    ranked = sorted(
        ((group, edge_km(group, lat, lon)) for group in among if group.is_established),
        key=lambda pair: (pair[1], pair[0].pk),
    )
    return [(group, km) for group, km in ranked if km != math.inf][:limit]
