"""The asks API: thin routes that parse, authorise, call a service and render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from mutua.aid import limits, selectors, services
from mutua.aid.api.places import ask_point
from mutua.aid.disclosure import Channel, reveal
from mutua.aid.models import Ask, ConsentChannel, Urgency
from mutua.aid.policy import Actor
from mutua.aid.schemas import (
    AskCreatedOut,
    AskDetailOut,
    AskDuplicateOut,
    AskIn,
    BoardOut,
    PlaceUnclearOut,
    ValidationOrPlaceOut,
)
from mutua.aid.shapes import public_area, public_ask
from mutua.core.categories import Category
from mutua.core.errors import InvalidInput
from mutua.core.limits import client_address
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.core.text import is_language_code
from mutua.people.auth import OPTIONAL_TOKEN, bearer, optional_user
from mutua.people.models import User

router = Router(tags=["asks"])

_URGENCY_NAMES = {"low": Urgency.LOW, "normal": Urgency.NORMAL, "urgent": Urgency.URGENT}


def ask_out(ask: Ask, distance_km: float | None = None) -> dict[str, Any]:
    """An ask as the API shows it to anyone (AskOut): the public shape, and how far it is
    from the place the board was asked for (null elsewhere)."""
    return {**public_ask(ask), "distance_km": distance_km}


def _detail(ask: Ask, *, actor: Actor) -> dict[str, Any]:
    body = ask_out(ask)
    shown = reveal(viewer=actor, ask=ask, channel=Channel.API)
    body["access"] = shown.reason if shown.allowed else None
    if shown.allowed:
        body["place"] = {"lat": ask.lat, "lon": ask.lon}
        body["contact"] = {
            "name": ask.contact_name,
            "phone": ask.contact_phone,
            "email": ask.contact_email,
            "address": ask.address,
        }
    return body


@router.post(
    "",
    # After errors(): its 422 (wrong shape) is one of the two this route can answer.
    response={
        201: AskCreatedOut,
        **errors(400, *TOKEN_ERRORS),
        409: AskDuplicateOut,
        422: ValidationOrPlaceOut,
    },
    auth=None,
    summary="Ask for help (no account)",
    openapi_extra=OPTIONAL_TOKEN,
)
def create_ask(request: HttpRequest, payload: AskIn) -> Status[dict[str, Any]]:
    """No account is needed and nothing about need is asked. One way to reach the person
    (phone, email or address) and `consent: true` are required. The answer holds the
    coarse area only, and a private `key` that lets the asker see and manage the ask.

    `place` is `{"lat", "lon"}`, or `{"text": "Dalston"}`: the best match near the
    network's groups is used (as `GET /places` ranks them). When the words name no such
    place, or several, the answer is 422 with `candidates` (at most three) to choose
    from; nothing is saved. The same phone, e-mail or account with a similar `what`
    within 24 hours is 409 with that `ask` (its `key` only for its own account's token);
    nothing is saved."""
    urgency = (
        _URGENCY_NAMES[payload.urgency] if isinstance(payload.urgency, str) else payload.urgency
    )
    asker = optional_user(request)
    anonymous = {
        "client": client_address(request),
        "phone": payload.contact.phone,
        "email": payload.contact.email,
    }
    if asker is None:
        limits.check_anonymous_ask(**anonymous)
    point = ask_point(payload.place, payload.contact.address)
    if isinstance(point, PlaceUnclearOut):
        return Status(422, point.dict())
    try:
        ask = _create(payload, point, asker, urgency)
    except services.DuplicateAsk as exc:
        # The key only to the existing ask's own account: the same phone number and a
        # guess at the words must not open someone's address (README, "The same ask twice").
        mine = asker is not None and exc.existing.asker_id == asker.pk
        existing = _created(request, exc.existing, with_key=mine)
        return Status(409, {"detail": exc.message, "ask": existing})
    if asker is None:
        limits.record_anonymous_ask(**anonymous)
    return Status(201, _created(request, ask, with_key=True))


def _create(payload: AskIn, point: tuple[float, float], asker: User | None, urgency: int) -> Ask:
    return services.create_ask(
        what=payload.what,
        category=payload.category,
        urgency=urgency,
        language=payload.language,
        lat=point[0],
        lon=point[1],
        address=payload.contact.address,
        contact_name=payload.contact.name,
        contact_phone=payload.contact.phone,
        contact_email=payload.contact.email,
        consent=payload.consent,
        asker=asker,
        consent_channel=ConsentChannel.API,
    )


def _created(request: HttpRequest, ask: Ask, *, with_key: bool) -> dict[str, Any]:
    key = selectors.asker_key(ask) if with_key else None
    url = request.build_absolute_uri(f"/asks/{ask.pk}/?key={key}") if key else None
    return {
        "id": ask.pk,
        "status": ask.status,
        "area": public_area(ask),
        "group": ask.group.slug if ask.group else None,
        "key": key,
        "url": url,
    }


class BoardQuery(Schema):
    near: str | None = None
    radius_km: float | None = None
    category: str | None = None
    # One language code or several, comma-separated ("es,pt"): only asks in those.
    language: str | None = None
    limit: int = 100
    # Asks to skip, for the next page: the board reaches 1,000 asks deep, as the page does.
    offset: int = 0


def _parse_near(near: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = near.split(",")
        point = float(lat_text), float(lon_text)
    except ValueError:
        raise InvalidInput(
            _("near must be LAT,LON, for example near=51.54,-0.05"), field="near"
        ) from None
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise InvalidInput(
            _("near is not on the map: latitude -90..90, longitude -180..180"), field="near"
        )
    return point


@router.get(
    "",
    response={200: BoardOut, **errors(400)},
    auth=None,
    summary="The board: open asks, coarse place only",
)
def board(request: HttpRequest, filters: Query[BoardQuery]) -> dict[str, Any]:
    """Open asks, most urgent first, then nearest to `near=LAT,LON` within `radius_km`,
    optionally only in some languages (`language=es,pt`). Never contact details or the
    exact place. `limit` is 1 to 500; `offset` skips that many for the next page, up to
    1,000 asks deep (narrow the place or the category to see past them)."""
    near = _parse_near(filters.near) if filters.near else None
    radius = filters.radius_km if filters.radius_km is not None else settings.MUTUA_BOARD_RADIUS_KM
    if not 0 < radius <= 500:
        raise InvalidInput(_("radius_km must be more than 0 and at most 500"), field="radius_km")
    if filters.category and filters.category not in Category.values:
        raise InvalidInput(
            _("Unknown category: %(category)s") % {"category": filters.category}, field="category"
        )
    if not 1 <= filters.limit <= 500:
        raise InvalidInput(_("limit must be from 1 to 500"), field="limit")
    deepest = selectors.BOARD_PAGE_SIZE * selectors.BOARD_MAX_PAGES
    if not 0 <= filters.offset <= deepest - filters.limit:
        raise InvalidInput(
            _("offset must be from 0 to %(most)d with this limit")
            % {"most": max(0, deepest - filters.limit)},
            field="offset",
        )
    languages = None
    if filters.language is not None:
        languages = [code.strip() for code in filters.language.split(",") if code.strip()]
        bad = [code for code in languages if not is_language_code(code)]
        if bad or not languages:
            raise InvalidInput(
                _("language must be codes such as es or es,pt, not %(value)s")
                % {"value": filters.language},
                field="language",
            )
    items = selectors.board(
        near=near,
        radius_km=radius,
        category=filters.category,
        languages=languages,
        limit=filters.limit,
        offset=filters.offset,
    )
    return {"count": len(items), "items": [ask_out(i.ask, i.distance_km) for i in items]}


@router.get(
    "/{int:ask_id}",
    response={200: AskDetailOut, **errors(404, *TOKEN_ERRORS)},
    auth=None,
    summary="One ask",
    openapi_extra=OPTIONAL_TOKEN,
)
def get_ask(request: HttpRequest, ask_id: int, key: str | None = None) -> dict[str, Any]:
    """Private place and contact only for the asker (token or key), the matched helper and
    holders of the group's safeguarding or hotline role; every reveal is logged."""
    actor = Actor(user=optional_user(request), key=key)
    return _detail(selectors.get_ask(ask_id), actor=actor)


@router.post(
    "/{int:ask_id}/claim",
    response={200: AskDetailOut, **errors(404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Take an ask",
)
def claim(request: HttpRequest, ask_id: int) -> dict[str, Any]:
    """Of many people claiming at once exactly one gets 200 (and the contact); the others
    get 409 saying what happened."""
    helper: User = request.auth  # type: ignore[attr-defined]
    ask = selectors.get_ask(ask_id)
    services.claim_ask(ask=ask, helper=helper)
    return _detail(ask, actor=Actor(user=helper))


@router.post(
    "/{int:ask_id}/release",
    response={200: AskDetailOut, **errors(404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Give back",
)
def release(request: HttpRequest, ask_id: int) -> dict[str, Any]:
    """The helper who took the ask gives it back to the board."""
    helper: User = request.auth  # type: ignore[attr-defined]
    ask = selectors.get_ask(ask_id)
    services.release_ask(ask=ask, helper=helper)
    return _detail(ask, actor=Actor(user=helper))


def _by_token_or_key(request: HttpRequest, ask_id: int, key: str | None) -> tuple[Ask, Actor]:
    """The ask (404 if there is none) and who acts on it: the token's account, or whoever
    holds the asker's key; with neither, 401."""
    actor = Actor(user=optional_user(request), key=key)
    ask = selectors.get_ask(ask_id)
    if actor.user is None and not key:
        raise AuthenticationError()
    return ask, actor


@router.post(
    "/{int:ask_id}/done",
    response={200: AskDetailOut, **errors(404, 409, *TOKEN_ERRORS)},
    auth=None,
    summary="Mark done",
    openapi_extra=OPTIONAL_TOKEN,
)
def done(request: HttpRequest, ask_id: int, key: str | None = None) -> dict[str, Any]:
    """The helper (token) or the asker (token or key) marks a claimed ask done."""
    ask, actor = _by_token_or_key(request, ask_id, key)
    services.complete_ask(ask=ask, actor=actor)
    return _detail(ask, actor=actor)


@router.post(
    "/{int:ask_id}/cancel",
    response={200: AskDetailOut, **errors(404, 409, *TOKEN_ERRORS)},
    auth=None,
    summary="Withdraw an ask",
    openapi_extra=OPTIONAL_TOKEN,
)
def cancel(request: HttpRequest, ask_id: int, key: str | None = None) -> dict[str, Any]:
    """The asker (token or key) withdraws an open or claimed ask."""
    ask, actor = _by_token_or_key(request, ask_id, key)
    services.cancel_ask(ask=ask, actor=actor)
    return _detail(ask, actor=actor)
