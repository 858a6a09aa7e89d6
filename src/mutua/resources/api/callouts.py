"""The callouts API: a group's callouts with their counts, sending one, answering,
closing one early."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.groups.selectors import group_by_slug
from mutua.people.auth import bearer
from mutua.people.models import User
from mutua.resources.models import AnsweredVia
from mutua.resources.schemas.callouts import (
    CalloutAnswerIn,
    CalloutCloseIn,
    CalloutIn,
    CalloutList,
    CalloutOut,
)
from mutua.resources.selectors import callouts as callout_selectors
from mutua.resources.selectors.callouts import CalloutView
from mutua.resources.services import callouts as callout_services

router = Router(tags=["callouts"])


def _out(item: CalloutView) -> dict[str, Any]:
    c = item.callout
    return {
        "id": c.pk,
        "what": c.what,
        "place": c.place,
        "lat": c.lat,
        "lon": c.lon,
        "radius_km": c.radius_km,
        "starts_at": c.starts_at,
        "ends_at": c.ends_at,
        "open": c.is_open,
        "reached": c.reached,
        "coming": item.coming,
        "cant": item.cant,
        "mine": item.mine,
        "closed_at": c.closed_at,
        "close_reason": c.close_reason,
    }


@router.get(
    "/{slug:slug}/callouts",
    response={200: CalloutList, **errors(403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="A group's callouts",
)
def callout_list(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Open callouts, soonest first, then the last closed ones; counts of answers only.
    Members only."""
    user: User = request.auth  # type: ignore[attr-defined]
    return {"items": [_out(i) for i in callout_selectors.callouts(user, group_by_slug(slug))]}


@router.post(
    "/{slug:slug}/callouts",
    response={201: CalloutOut, **errors(400, 403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Send a callout",
)
def send(request: HttpRequest, slug: str, payload: CalloutIn) -> Status[dict[str, Any]]:
    """Call the members living within `radius_km`, each by the fastest channel they opted
    into. Only a member holding the group's callout caller role may (403 otherwise)."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    callout = callout_services.send_callout(group=group, by=user, **payload.dict())
    return Status(201, _out(callout_selectors.callout(user, group, callout.pk)))


@router.get(
    "/{slug:slug}/callouts/{callout_id}",
    response={200: CalloutOut, **errors(403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="One callout with its live counts",
)
def callout_detail(request: HttpRequest, slug: str, callout_id: int) -> dict[str, Any]:
    """Counts of answers (never who) and your own answer; what a dashboard polls."""
    user: User = request.auth  # type: ignore[attr-defined]
    return _out(callout_selectors.callout(user, group_by_slug(slug), callout_id))


@router.post(
    "/{slug:slug}/callouts/{callout_id}/answer",
    response={200: CalloutOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Answer a callout: coming or not",
)
def answer(
    request: HttpRequest, slug: str, callout_id: int, payload: CalloutAnswerIn
) -> dict[str, Any]:
    """Answering again changes the answer; 409 once the callout is over."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    callout_services.answer_callout(
        group=group,
        callout_id=callout_id,
        member=user,
        coming=payload.answer == "coming",
        via=AnsweredVia.API,
    )
    return _out(callout_selectors.callout(user, group, callout_id))


@router.post(
    "/{slug:slug}/callouts/{callout_id}/close",
    response={200: CalloutOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Close a callout before its end",
)
def close(
    request: HttpRequest, slug: str, callout_id: int, payload: CalloutCloseIn
) -> dict[str, Any]:
    """Its sender or a callout caller closes it, saying why ("enough people are here",
    "called off"); those who said they are coming are told. 403 for anyone else, 409
    when it is already closed."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    callout_services.close_callout(
        group=group, callout_id=callout_id, by=user, reason=payload.reason
    )
    return _out(callout_selectors.callout(user, group, callout_id))
