"""The gatherings API: meetings to come with their counts, calling one, answering."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.groups.selectors import group_by_slug
from mutua.people.auth import bearer
from mutua.people.models import User
from mutua.resources.schemas.gatherings import GatheringIn, GatheringList, GatheringOut, RsvpIn
from mutua.resources.selectors import gatherings as gathering_selectors
from mutua.resources.selectors.gatherings import GatheringView
from mutua.resources.services import gatherings as gathering_services

router = Router(tags=["gatherings"])


def _out(item: GatheringView) -> dict[str, Any]:
    g = item.gathering
    return {
        "id": g.pk,
        "title": g.title,
        "description": g.description,
        "place": g.place,
        "starts_at": g.starts_at,
        "ends_at": g.ends_at,
        "private_attendance": g.private_attendance,
        "going": item.going,
        "names": item.names,
        "mine": item.mine,
    }


@router.get(
    "/{slug:slug}/gatherings",
    response={200: GatheringList, **errors(403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="A group's gatherings",
)
def gathering_list(request: HttpRequest, slug: str) -> dict[str, Any]:
    """From a month back on, soonest first; names only where attendance is not private."""
    user: User = request.auth  # type: ignore[attr-defined]
    items = gathering_selectors.gatherings(user, group_by_slug(slug))
    return {"items": [_out(i) for i in items]}


@router.post(
    "/{slug:slug}/gatherings",
    response={201: GatheringOut, **errors(400, 403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Call a gathering",
)
def create(request: HttpRequest, slug: str, payload: GatheringIn) -> Status[dict[str, Any]]:
    """Any member may call a meeting."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    made = gathering_services.create_gathering(group=group, by=user, **payload.dict())
    return Status(201, _out(gathering_selectors.gathering(user, group, made.pk)))


@router.post(
    "/{slug:slug}/gatherings/{gathering_id}/rsvp",
    response={200: GatheringOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Say whether you are coming",
)
def rsvp(request: HttpRequest, slug: str, gathering_id: int, payload: RsvpIn) -> dict[str, Any]:
    """Again to change it; 409 once it is over."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    gathering_services.answer(
        group=group, gathering_id=gathering_id, member=user, going=payload.going
    )
    return _out(gathering_selectors.gathering(user, group, gathering_id))
