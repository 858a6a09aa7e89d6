"""The offers API: what people offer, offering, withdrawing (answering one is in
answers.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from mutua.aid import selectors, services
from mutua.aid.schemas import OfferIn, OfferOut, OfferPage, OfferQuery
from mutua.aid.shapes import public_offer
from mutua.core.categories import Category
from mutua.core.errors import InvalidInput, NotAllowed, NotFound
from mutua.core.pagination import paginate
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.groups import selectors as group_selectors
from mutua.people.auth import bearer
from mutua.people.models import User

offers_router = Router(tags=["offers"])


@offers_router.get(
    "",
    response={200: OfferPage, **errors(400)},
    auth=None,
    summary="What people offer",
)
def list_offers(request: HttpRequest, filters: Query[OfferQuery]) -> dict[str, Any]:
    """Active offers, newest first, filtered by `category`, `kind` or `group`. Members
    appear by display name only. Pages: pass `next` back as `cursor`."""
    if filters.category and filters.category not in Category.values:
        raise InvalidInput(
            _("Unknown kind of help: %(c)s") % {"c": filters.category}, field="category"
        )
    offers, cursor = paginate(
        selectors.offers_matching(
            category=filters.category, kind=filters.kind, group_slug=filters.group
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [public_offer(o) for o in offers], "next": cursor}


@offers_router.post(
    "",
    response={201: OfferOut, **errors(400, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Offer something",
)
def create_offer(request: HttpRequest, payload: OfferIn) -> Status[dict[str, Any]]:
    """Offer a skill, a thing or time, for one of your groups or for anyone nearby."""
    member: User = request.auth  # type: ignore[attr-defined]
    group = None
    if payload.group:
        try:
            group = group_selectors.group_by_slug(payload.group)
        except NotFound:
            raise InvalidInput(
                _("There is no group with the short name %(slug)s.") % {"slug": payload.group},
                field="group",
            ) from None
        if not group_selectors.is_member(group=group, user=member):
            raise NotAllowed(_("You can only offer for a group you are a member of."))
    offer = services.create_offer(
        member=member,
        kind=payload.kind,
        category=payload.category,
        what=payload.what,
        group=group,
    )
    return Status(201, public_offer(offer))


@offers_router.get(
    "/{int:offer_id}", response={200: OfferOut, **errors(404)}, auth=None, summary="One offer"
)
def get_offer(request: HttpRequest, offer_id: int) -> dict[str, Any]:
    """An offer, active or withdrawn."""
    return public_offer(selectors.get_offer(offer_id))


@offers_router.post(
    "/{int:offer_id}/withdraw",
    response={200: OfferOut, **errors(404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Withdraw an offer",
)
def withdraw_offer(request: HttpRequest, offer_id: int) -> dict[str, Any]:
    """Only the member who made the offer may withdraw it; doing it twice is harmless."""
    member: User = request.auth  # type: ignore[attr-defined]
    offer = services.withdraw_offer(offer=selectors.get_offer(offer_id), member=member)
    return public_offer(offer)
