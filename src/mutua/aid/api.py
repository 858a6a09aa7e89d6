"""The asks API: thin routes that parse, authorise, call a service and render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from mutua.aid import selectors, services
from mutua.aid.models import Ask, Category, Urgency
from mutua.aid.schemas import AskCreatedOut, AskDetailOut, AskIn, BoardOut
from mutua.core.errors import InvalidInput
from mutua.people.auth import bearer, optional_user
from mutua.people.models import User
from mutua.privacy.services import log_reveal

router = Router(tags=["asks"])

_URGENCY_NAMES = {"low": Urgency.LOW, "normal": Urgency.NORMAL, "urgent": Urgency.URGENT}


def _area(ask: Ask) -> dict[str, Any]:
    return {"cell": ask.cell, "name": ask.area_name, "lat": ask.public_lat, "lon": ask.public_lon}


def _public(ask: Ask, distance_km: float | None = None) -> dict[str, Any]:
    return {
        "id": ask.pk,
        "status": ask.status,
        "what": ask.what,
        "category": ask.category,
        "urgency": ask.urgency,
        "language": ask.language,
        "area": _area(ask),
        "group": ask.group.slug if ask.group else None,
        "created_at": ask.created_at,
        "expires_at": ask.expires_at,
        "distance_km": distance_km,
    }


def _detail(
    request: HttpRequest, ask: Ask, *, user: User | None, key: str | None
) -> dict[str, Any]:
    body = _public(ask)
    reason = selectors.private_access_reason(ask, user=user, key=key)
    body["access"] = reason
    if reason is not None:
        log_reveal(ask=ask, viewer=user, reason=reason, channel="api")
        body["place"] = {"lat": ask.lat, "lon": ask.lon}
        body["contact"] = {
            "name": ask.contact_name,
            "phone": ask.contact_phone,
            "email": ask.contact_email,
            "address": ask.address,
        }
    return body


@router.post("", response={201: AskCreatedOut}, auth=None, summary="Ask for help (no account)")
def create_ask(request: HttpRequest, payload: AskIn) -> Status[dict[str, Any]]:
    urgency = (
        _URGENCY_NAMES[payload.urgency] if isinstance(payload.urgency, str) else payload.urgency
    )
    ask = services.create_ask(
        what=payload.what,
        category=payload.category,
        urgency=urgency,
        language=payload.language,
        lat=payload.place.lat,
        lon=payload.place.lon,
        address=payload.contact.address,
        contact_name=payload.contact.name,
        contact_phone=payload.contact.phone,
        contact_email=payload.contact.email,
        consent=payload.consent,
        asker=optional_user(request),
    )
    key = selectors.asker_key(ask)
    return Status(
        201,
        {
            "id": ask.pk,
            "status": ask.status,
            "area": _area(ask),
            "group": ask.group.slug if ask.group else None,
            "key": key,
            "url": request.build_absolute_uri(f"/asks/{ask.pk}/?key={key}"),
        },
    )


class BoardQuery(Schema):
    near: str | None = None
    radius_km: float | None = None
    category: str | None = None
    limit: int = 100


def _parse_near(near: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = near.split(",")
        point = float(lat_text), float(lon_text)
    except ValueError:
        raise InvalidInput(
            "near must be LAT,LON, for example near=51.54,-0.05", field="near"
        ) from None
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise InvalidInput(
            "near is not on the map: latitude -90..90, longitude -180..180", field="near"
        )
    return point


@router.get("", response=BoardOut, auth=None, summary="The board: open asks, coarse place only")
def board(request: HttpRequest, filters: Query[BoardQuery]) -> dict[str, Any]:
    near = _parse_near(filters.near) if filters.near else None
    radius = filters.radius_km if filters.radius_km is not None else settings.MUTUA_BOARD_RADIUS_KM
    if not 0 < radius <= 500:
        raise InvalidInput("radius_km must be more than 0 and at most 500", field="radius_km")
    if filters.category and filters.category not in Category.values:
        raise InvalidInput(f"Unknown category: {filters.category}", field="category")
    if not 1 <= filters.limit <= 500:
        raise InvalidInput("limit must be from 1 to 500", field="limit")
    items = selectors.board(
        near=near, radius_km=radius, category=filters.category, limit=filters.limit
    )
    return {"count": len(items), "items": [_public(i.ask, i.distance_km) for i in items]}


@router.get("/{int:ask_id}", response=AskDetailOut, auth=None, summary="One ask")
def get_ask(request: HttpRequest, ask_id: int, key: str | None = None) -> dict[str, Any]:
    """Private place and contact only for the asker (token or key) and the matched helper."""
    user = optional_user(request)
    return _detail(request, selectors.get_ask(ask_id), user=user, key=key)


@router.post("/{int:ask_id}/claim", response=AskDetailOut, auth=bearer, summary="Take an ask")
def claim(request: HttpRequest, ask_id: int) -> dict[str, Any]:
    helper: User = request.auth  # type: ignore[attr-defined]
    ask = selectors.get_ask(ask_id)
    services.claim_ask(ask=ask, helper=helper)
    return _detail(request, ask, user=helper, key=None)


@router.post("/{int:ask_id}/release", response=AskDetailOut, auth=bearer, summary="Give back")
def release(request: HttpRequest, ask_id: int) -> dict[str, Any]:
    helper: User = request.auth  # type: ignore[attr-defined]
    ask = selectors.get_ask(ask_id)
    services.release_ask(ask=ask, helper=helper)
    return _detail(request, ask, user=helper, key=None)


@router.post("/{int:ask_id}/done", response=AskDetailOut, auth=None, summary="Mark done")
def done(request: HttpRequest, ask_id: int, key: str | None = None) -> dict[str, Any]:
    """The helper (token) or the asker (token or key) marks a claimed ask done."""
    user = optional_user(request)
    ask = selectors.get_ask(ask_id)
    if user is None and not key:
        raise AuthenticationError()
    by_asker = selectors.is_asker(ask, user=user, key=key)
    services.complete_ask(ask=ask, actor=user, by_asker=by_asker)
    return _detail(request, ask, user=user, key=key)


@router.post("/{int:ask_id}/cancel", response=AskDetailOut, auth=None, summary="Withdraw an ask")
def cancel(request: HttpRequest, ask_id: int, key: str | None = None) -> dict[str, Any]:
    """The asker (token or key) withdraws an open or claimed ask."""
    user = optional_user(request)
    ask = selectors.get_ask(ask_id)
    if user is None and not key:
        raise AuthenticationError()
    services.cancel_ask(ask=ask, actor=user, by_asker=selectors.is_asker(ask, user=user, key=key))
    return _detail(request, ask, user=user, key=key)
