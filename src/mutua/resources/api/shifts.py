"""The shifts API: a group's rota, starting a shift, signing up and dropping out."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.groups.selectors import group_by_slug
from mutua.people.auth import bearer
from mutua.people.models import User
from mutua.resources.schemas.shifts import RotaOut, ShiftDayIn, ShiftIn, ShiftOut
from mutua.resources.selectors import shifts as shift_selectors
from mutua.resources.services import shifts as shift_services

router = Router(tags=["shifts"])


@router.get(
    "/{slug:slug}/shifts",
    response={200: RotaOut, **errors(403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="A group's rota",
)
def rota(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Every day of the group's shifts in the next two weeks, with who is down for it.
    Members only. The calendar feed is /groups/{slug}/shifts.ics."""
    user: User = request.auth  # type: ignore[attr-defined]
    days = shift_selectors.rota(user, group_by_slug(slug))
    return {
        "items": [
            {
                "shift": d.shift.pk,
                "title": d.shift.title,
                "place": d.shift.place,
                "day": d.day,
                "begins": d.begins,
                "ends": d.ends,
                "slots": d.shift.slots,
                "taken": d.taken,
                "names": d.names,
                "mine": d.mine,
            }
            for d in days
        ]
    }


@router.post(
    "/{slug:slug}/shifts",
    response={201: ShiftOut, **errors(400, 403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Start a shift",
)
def create(request: HttpRequest, slug: str, payload: ShiftIn) -> Status[dict[str, Any]]:
    """Any member may put a recurring shift on the rota."""
    user: User = request.auth  # type: ignore[attr-defined]
    shift = shift_services.create_shift(group=group_by_slug(slug), by=user, **payload.dict())
    return Status(201, {"id": shift.pk, "title": shift.title, "weekdays": shift.weekday_numbers})


def _day_action(request: HttpRequest, slug: str, shift_id: int, day: Any, *, join: bool) -> None:
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_by_slug(slug)
    if join:
        shift_services.sign_up(group=group, shift_id=shift_id, day=day, member=user)
    else:
        shift_services.drop_out(group=group, shift_id=shift_id, day=day, member=user)


@router.post(
    "/{slug:slug}/shifts/{shift_id}/signup",
    response={204: None, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Sign up for a day of a shift",
)
def signup(request: HttpRequest, slug: str, shift_id: int, payload: ShiftDayIn) -> Status[None]:
    """409 when the day is full, already started, or you are already down for it."""
    _day_action(request, slug, shift_id, payload.day, join=True)
    return Status(204, None)


@router.post(
    "/{slug:slug}/shifts/{shift_id}/dropout",
    response={204: None, **errors(400, 403, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Drop out of a day of a shift",
)
def dropout(request: HttpRequest, slug: str, shift_id: int, payload: ShiftDayIn) -> Status[None]:
    """The slot is free again for others; 409 if you were not down for it."""
    _day_action(request, slug, shift_id, payload.day, join=False)
    return Status(204, None)
