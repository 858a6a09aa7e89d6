"""The network page's figures: aggregates over a group and every group nested in it,
never a person's details (no names, no contact, no words of an ask, no exact place).

* open, claimed and done asks per group;
* the open asks that have waited longest (kind of help, how soon, which group, since
  when, the coarse area only);
* the groups that need helpers: more open asks than members active lately (a member
  who took an ask in the last ACTIVE_DAYS days), the most stretched first;
* the open asks outside every group's area (the unrouted list), and how many of them are
  nearest one of this network's groups: the network can pass those on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from mutua.aid.models import Ask, AskStatus, Claim
from mutua.groups.models import Group, Membership
from mutua.groups.selectors import nearest_groups

ACTIVE_DAYS = 30
LONGEST_WAITING = 10
# The unrouted asks placed against the network's groups; past this many the page counts
# them all but places only these (a list this long is a gap in the map, not a queue).
UNROUTED_MAX = 2000


@dataclass(frozen=True)
class GroupFigures:
    group: Group
    depth: int
    open: int
    claimed: int
    done: int
    members: int
    active_helpers: int

    @property
    def open_per_helper(self) -> float:
        """Open asks per active helper; a group with none counts its open asks."""
        return self.open / self.active_helpers if self.active_helpers else float(self.open)

    @property
    def needs_helpers(self) -> bool:
        return self.open > self.active_helpers


@dataclass(frozen=True)
class Waiting:
    """An open ask as the network page shows it: no personal detail."""

    category: str
    category_label: str
    urgency: int
    group: Group
    area_name: str
    since: datetime


@dataclass(frozen=True)
class NetworkFigures:
    network: Group
    groups: list[GroupFigures]
    longest_waiting: list[Waiting]
    # Open asks no group covers, on the whole server, and those nearest this network.
    unrouted: int = 0
    unrouted_nearest: int = 0

    @property
    def needing_helpers(self) -> list[GroupFigures]:
        needing = [figures for figures in self.groups if figures.needs_helpers]
        return sorted(needing, key=lambda f: (-f.open_per_helper, f.group.name))

    @property
    def totals(self) -> dict[str, int]:
        return {
            "open": sum(f.open for f in self.groups),
            "claimed": sum(f.claimed for f in self.groups),
            "done": sum(f.done for f in self.groups),
        }


def nested_groups(network: Group) -> list[tuple[Group, int]]:
    """The network and every group inside it, each with its depth, parents before
    children, siblings by name. One query per level (networks are a few levels deep)."""
    found: list[tuple[Group, int]] = [(network, 0)]
    seen = {network.pk}
    level = [network.pk]
    depth = 0
    while level:
        depth += 1
        children = list(Group.objects.filter(parent_id__in=level).exclude(pk__in=seen))
        seen.update(child.pk for child in children)
        found.extend((child, depth) for child in children)
        level = [child.pk for child in children]
    by_parent: dict[int | None, list[tuple[Group, int]]] = {}
    for group, group_depth in found[1:]:
        by_parent.setdefault(group.parent_id, []).append((group, group_depth))
    ordered: list[tuple[Group, int]] = []

    def walk(group: Group, group_depth: int) -> None:
        ordered.append((group, group_depth))
        for child, child_depth in sorted(by_parent.get(group.pk, []), key=lambda c: c[0].name):
            walk(child, child_depth)

    walk(network, 0)
    return ordered


def network_figures(network: Group, *, now: datetime | None = None) -> NetworkFigures:
    """Every figure of the network page, in a fixed number of queries per level."""
    now = now or timezone.now()
    nested = nested_groups(network)
    ids = [group.pk for group, _depth in nested]
    counts = {
        row["group"]: row
        for row in Ask.objects.filter(group_id__in=ids)
        .values("group")
        .annotate(
            open=Count("pk", filter=Q(status=AskStatus.OPEN)),
            claimed=Count("pk", filter=Q(status=AskStatus.CLAIMED)),
            done=Count("pk", filter=Q(status=AskStatus.DONE)),
        )
    }
    members = dict(
        Membership.objects.filter(group_id__in=ids)
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    since = now - timedelta(days=ACTIVE_DAYS)
    active = dict(
        Claim.objects.filter(ask__group_id__in=ids, claimed_at__gte=since)
        .values("ask__group")
        .annotate(n=Count("helper", distinct=True))
        .values_list("ask__group", "n")
    )
    figures = [
        GroupFigures(
            group=group,
            depth=depth,
            open=counts.get(group.pk, {}).get("open", 0),
            claimed=counts.get(group.pk, {}).get("claimed", 0),
            done=counts.get(group.pk, {}).get("done", 0),
            members=members.get(group.pk, 0),
            active_helpers=active.get(group.pk, 0),
        )
        for group, depth in nested
    ]
    groups_by_id = {group.pk: group for group, _depth in nested}
    oldest = (
        Ask.objects.filter(group_id__in=ids, status=AskStatus.OPEN)
        .order_by("created_at", "pk")
        .only("category", "urgency", "group_id", "area_name", "created_at")[:LONGEST_WAITING]
    )
    waiting = [
        Waiting(
            category=ask.category,
            category_label=ask.get_category_display(),
            urgency=ask.urgency,
            group=groups_by_id[ask.group_id],
            area_name=ask.area_name,
            since=ask.created_at,
        )
        for ask in oldest
        if ask.group_id is not None
    ]
    unrouted, nearest = _unrouted(set(ids))
    return NetworkFigures(
        network=network,
        groups=figures,
        longest_waiting=waiting,
        unrouted=unrouted,
        unrouted_nearest=nearest,
    )


def _unrouted(network_ids: set[int]) -> tuple[int, int]:
    """Open asks outside every group's area, and how many of them have one of the
    network's groups as their nearest established group (from their public places)."""
    points = list(
        Ask.objects.open().unrouted().values_list("public_lat", "public_lon")[:UNROUTED_MAX]
    )
    groups = list(Group.objects.filter(established_at__isnull=False).exclude(center_lat=None))
    nearest = 0
    for lat, lon in points:
        found = nearest_groups(lat, lon, limit=1, among=groups)
        if found and found[0][0].pk in network_ids:
            nearest += 1
    return Ask.objects.open().unrouted().count(), nearest
