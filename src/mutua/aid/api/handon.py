"""Passing an ask on to another group on this server, through the API: the asks no group
covers with the groups nearest them (GET /asks/unrouted), where one ask may go and where
it has been (GET), and the pass itself (POST). Thin: the rules are
aid.policy.may_hand_on and aid.services.handon."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from mutua.aid import policy, selectors, services
from mutua.aid.models import Ask, AskStatus
from mutua.aid.schemas.handon import HandOnIn, HandOnOut, UnroutedPage
from mutua.aid.shapes import public_ask
from mutua.core.errors import InvalidInput, NotFound
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.groups.selectors import group_by_slug
from mutua.people.auth import OPTIONAL_TOKEN, bearer, optional_user
from mutua.people.models import User

router = Router(tags=["asks"])


def _hand_on(ask: Ask, user: User | None) -> dict[str, Any]:
    may = ask.status == AskStatus.OPEN and policy.may_hand_on(ask=ask, user=user).allowed
    return {
        "id": ask.pk,
        "group": ask.group.slug if ask.group is not None else None,
        "path": [
            {
                "from_group": step.from_group.slug if step.from_group else None,
                "to_group": step.to_group.slug if step.to_group else None,
                "at": step.at,
                "automatic": step.actor_id is None,
            }
            for step in selectors.hand_on_path(ask)
        ],
        "targets": [_target(t) for t in (selectors.hand_on_targets(ask) if may else [])],
    }


def _target(target: selectors.Target) -> dict[str, Any]:
    return {
        "group": target.group.slug,
        "name": target.group.name,
        "km": None if target.km is None else round(target.km, 1),
        "parent": target.parent,
    }


class UnroutedQuery(Schema):
    page: int = Field(
        1, ge=1, le=selectors.UNROUTED_LAST_PAGE, description="Which page of 50, from 1"
    )


@router.get(
    "/unrouted",
    response={200: UnroutedPage, **errors()},
    auth=None,
    summary="Open asks outside every group's area",
)
def unrouted(request: HttpRequest, filters: Query[UnroutedQuery]) -> dict[str, Any]:
    """Open asks no group covers, most urgent and newest first, in pages of 50: each with
    its public shape, its coarse place in words (`place_name`, null when no name is
    known near it) and the established groups nearest it with the distance in km from its
    public place. A member of any group may pass one on (`POST /asks/{id}/hand-on`)."""
    items, more = selectors.unrouted_items(page=filters.page)
    return {
        "items": [
            {
                **public_ask(item.ask),
                "place_name": item.place_name,
                "nearest": [_target(t) for t in item.nearest],
            }
            for item in items
        ],
        "next_page": filters.page + 1 if more else None,
    }


@router.get(
    "/{int:ask_id}/hand-on",
    response={200: HandOnOut, **errors(404, *TOKEN_ERRORS)},
    auth=None,
    summary="Where an ask has been, and where it may be passed",
    openapi_extra=OPTIONAL_TOKEN,
)
def hand_on_options(request: HttpRequest, ask_id: int) -> dict[str, Any]:
    """The groups the ask has passed through (anyone may see them: group names only) and,
    for someone who may pass it on, the groups it may go to: established groups its
    group is part of, and those nearest its public place, with the distance in km."""
    return _hand_on(selectors.get_ask(ask_id), optional_user(request))


@router.post(
    "/{int:ask_id}/hand-on",
    response={200: HandOnOut, **errors(400, 404, 409, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Pass an ask to another group",
)
def hand_on(request: HttpRequest, ask_id: int, payload: HandOnIn) -> dict[str, Any]:
    """Pass an open ask to one of the groups GET offers. The holding group's dispatchers
    may, or a member of any group for an ask no group covers; others get 403. The ask's
    history and the access log record it, and the receiving group's dispatchers are told."""
    user: User = request.auth  # type: ignore[attr-defined]
    ask = selectors.get_ask(ask_id)
    try:
        target = group_by_slug(payload.group)
    except NotFound:
        raise InvalidInput(_("No group has that short name."), field="group") from None
    services.pass_to_group(ask=ask, to_group=target, actor=user)
    return _hand_on(ask, user)
