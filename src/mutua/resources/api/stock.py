"""The hubs and stock API: levels per hub, hubs and items, movements, meeting an ask."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.groups.selectors import group_by_slug
from mutua.people.auth import bearer
from mutua.people.models import User
from mutua.resources.models import StockMovement
from mutua.resources.schemas.stock import (
    HubIn,
    HubOut,
    ItemIn,
    ItemOut,
    MeetAskIn,
    MovementIn,
    MovementList,
    MovementOut,
    StockOut,
)
from mutua.resources.selectors import stock as stock_selectors
from mutua.resources.services import stock as stock_services

router = Router(tags=["stock"])


def _movement(m: StockMovement) -> dict[str, Any]:
    return {
        "id": m.pk,
        "hub": m.hub_id,
        "item": m.item_id,
        "kind": m.kind,
        "change": m.change,
        "use_by": m.use_by,
        "reason": m.reason,
        "ask": m.ask_id,
        "recorded_at": m.recorded_at,
        "recorded_by": m.recorded_by.display_name if m.recorded_by else None,
    }


@router.get(
    "/{slug:slug}/stock",
    response={200: StockOut, **errors(403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Every hub with its stock levels",
)
def stock(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Levels are sums of movements, never stored. Members only."""
    user: User = request.auth  # type: ignore[attr-defined]
    hubs = stock_selectors.stock(user, group_by_slug(slug))
    return {
        "hubs": [
            {
                "id": h.hub.pk,
                "name": h.hub.name,
                "address": h.hub.address,
                "opening_hours": h.hub.opening_hours,
                "levels": [
                    {
                        "item": lv.item.pk,
                        "name": lv.item.name,
                        "unit": lv.item.unit,
                        "level": lv.quantity,
                        "low": lv.low,
                    }
                    for lv in h.levels
                ],
            }
            for h in hubs
        ]
    }


@router.post(
    "/{slug:slug}/stock/hubs",
    response={201: HubOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Open a hub",
)
def hub_new(request: HttpRequest, slug: str, payload: HubIn) -> Status[dict[str, Any]]:
    """A distribution point with its address and opening hours (stock keepers)."""
    user: User = request.auth  # type: ignore[attr-defined]
    hub = stock_services.create_hub(group=group_by_slug(slug), by=user, **payload.dict())
    return Status(
        201,
        {
            "id": hub.pk,
            "name": hub.name,
            "address": hub.address,
            "opening_hours": hub.opening_hours,
            "levels": [],
        },
    )


@router.post(
    "/{slug:slug}/stock/items",
    response={201: ItemOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Keep a new item",
)
def item_new(request: HttpRequest, slug: str, payload: ItemIn) -> Status[dict[str, Any]]:
    """An item counted in whole units, with the level at which stock keepers are told."""
    user: User = request.auth  # type: ignore[attr-defined]
    item = stock_services.create_item(group=group_by_slug(slug), by=user, **payload.dict())
    return Status(201, {"id": item.pk, "name": item.name, "unit": item.unit, "low_at": item.low_at})


@router.get(
    "/{slug:slug}/stock/movements",
    response={200: MovementList, **errors(403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="The latest stock movements",
)
def movements(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Newest first, the last 50; every member sees them."""
    user: User = request.auth  # type: ignore[attr-defined]
    rows = stock_selectors.movements(user, group_by_slug(slug))
    return {"items": [_movement(m) for m in rows]}


@router.post(
    "/{slug:slug}/stock/movements",
    response={201: MovementOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Record stock in or out",
)
def movement_new(request: HttpRequest, slug: str, payload: MovementIn) -> Status[dict[str, Any]]:
    """409 when it would take the level below zero and no `reason` says why."""
    user: User = request.auth  # type: ignore[attr-defined]
    data = payload.dict()
    movement = stock_services.record_movement(
        group=group_by_slug(slug),
        by=user,
        hub_id=data.pop("hub"),
        item_id=data.pop("item"),
        ask_id=data.pop("ask"),
        **data,
    )
    return Status(201, _movement(movement))


@router.post(
    "/{slug:slug}/stock/hubs/{hub_id}/meet-ask",
    response={201: MovementList, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Meet an ask from a hub",
)
def meet_ask(
    request: HttpRequest, slug: str, hub_id: int, payload: MeetAskIn
) -> Status[dict[str, Any]]:
    """Give out each line for the ask, all or none; the ask stays for its helper to mark
    done."""
    user: User = request.auth  # type: ignore[attr-defined]
    moved = stock_services.meet_ask(
        group=group_by_slug(slug),
        by=user,
        hub_id=hub_id,
        ask_id=payload.ask,
        lines=[(line.item, line.quantity) for line in payload.lines],
        reason=payload.reason,
    )
    return Status(201, {"items": [_movement(m) for m in moved]})
