"""The lending library API: what there is and who has it, adding, borrowing, returning."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.groups.selectors import group_by_slug
from mutua.people.auth import bearer
from mutua.people.models import User
from mutua.resources.schemas.things import BorrowIn, ThingIn, ThingList, ThingOut
from mutua.resources.selectors import things as thing_selectors
from mutua.resources.selectors.things import ThingView
from mutua.resources.services import things as thing_services

router = Router(tags=["things"])


def _out(entry: ThingView) -> dict[str, Any]:
    loan = entry.loan
    return {
        "id": entry.thing.pk,
        "name": entry.thing.name,
        "description": entry.thing.description,
        "lent_by": entry.lender,
        "hub": entry.thing.hub_id,
        "borrower": loan.borrower.display_name if loan else None,
        "due_on": loan.due_on if loan else None,
        "late": entry.late,
    }


def _one(user: User, slug: str, thing_id: int) -> dict[str, Any]:
    for entry in thing_selectors.library(user, group_by_slug(slug)):
        if entry.thing.pk == thing_id:
            return _out(entry)
    return {}


@router.get(
    "/{slug:slug}/things",
    response={200: ThingList, **errors(403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="The lending library, with who has what now",
)
def thing_list(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Every thing in the library, and who has each now. Members only."""
    user: User = request.auth  # type: ignore[attr-defined]
    return {"items": [_out(e) for e in thing_selectors.library(user, group_by_slug(slug))]}


@router.post(
    "/{slug:slug}/things",
    response={201: ThingOut, **errors(400, 403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Lend something",
)
def add(request: HttpRequest, slug: str, payload: ThingIn) -> Status[dict[str, Any]]:
    """Your own thing, or (for stock keepers) one kept at a hub."""
    user: User = request.auth  # type: ignore[attr-defined]
    thing = thing_services.add_thing(
        group=group_by_slug(slug),
        by=user,
        name=payload.name,
        description=payload.description,
        hub_id=payload.hub,
    )
    return Status(201, _one(user, slug, thing.pk))


@router.post(
    "/{slug:slug}/things/{thing_id}/borrow",
    response={200: ThingOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Borrow a thing",
)
def borrow(request: HttpRequest, slug: str, thing_id: int, payload: BorrowIn) -> dict[str, Any]:
    """Until `due_on`; 409 while someone else has it."""
    user: User = request.auth  # type: ignore[attr-defined]
    thing_services.borrow(
        group=group_by_slug(slug), thing_id=thing_id, member=user, due_on=payload.due_on
    )
    return _one(user, slug, thing_id)


@router.post(
    "/{slug:slug}/things/{thing_id}/return",
    response={200: ThingOut, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Say a thing is back",
)
def give_back(request: HttpRequest, slug: str, thing_id: int) -> dict[str, Any]:
    """By its borrower, whoever lends it, or a stock keeper for a hub's thing."""
    user: User = request.auth  # type: ignore[attr-defined]
    thing_services.return_thing(group=group_by_slug(slug), thing_id=thing_id, by=user)
    return _one(user, slug, thing_id)
