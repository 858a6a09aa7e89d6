"""Reads of hubs and stock: each hub's levels (sums of movements) and the movements."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources.models import Hub, StockItem, StockMovement
from mutua.resources.selectors.ledger import require_member

RECENT = 50


@dataclass(frozen=True)
class Level:
    item: StockItem
    quantity: int

    @property
    def low(self) -> bool:
        return bool(self.item.low_at) and self.quantity <= self.item.low_at


@dataclass(frozen=True)
class HubStock:
    hub: Hub
    levels: list[Level]


def items_of(group: Group) -> list[StockItem]:
    return list(StockItem.objects.filter(group=group))


def hubs_of(group: Group) -> list[Hub]:
    return list(Hub.objects.filter(group=group))


def stock(viewer: User | None, group: Group) -> list[HubStock]:
    """Every hub with the level of every item the group keeps, in one query for the sums."""
    require_member(viewer, group)
    items = items_of(group)
    sums = {
        (row["hub_id"], row["item_id"]): int(row["total"] or 0)
        for row in StockMovement.objects.filter(group=group)
        .values("hub_id", "item_id")
        .annotate(total=Sum("change"))
    }
    return [
        HubStock(hub, [Level(item, sums.get((hub.pk, item.pk), 0)) for item in items])
        for hub in hubs_of(group)
    ]


def movements(viewer: User | None, group: Group, *, limit: int = RECENT) -> list[StockMovement]:
    """The latest movements, newest first; every member sees them, as the ledger."""
    require_member(viewer, group)
    rows = StockMovement.objects.filter(group=group).select_related(
        "hub", "item", "recorded_by__profile"
    )
    return list(rows[:limit])
