"""“I could use this” through the API: `POST /api/v1/offers/{id}/answer` records an ask
answering the offer, offered first to the member who offered (aid.services.offers)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from mutua.aid import selectors, services
from mutua.aid.api.places import ask_point
from mutua.aid.models import ConsentChannel
from mutua.aid.schemas import PlaceUnclearOut, ValidationOrPlaceOut
from mutua.aid.schemas.answers import AnswerIn, AnswerOut
from mutua.aid.shapes import public_area
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.people.auth import bearer
from mutua.people.models import User

router = Router(tags=["offers"])


@router.post(
    "/{int:offer_id}/answer",
    response={201: AnswerOut, **errors(400, 404, 409, *TOKEN_ERRORS), 422: ValidationOrPlaceOut},
    auth=bearer,
    summary="I could use this: answer an offer",
)
def answer(request: HttpRequest, offer_id: int, payload: AnswerIn) -> Status[dict[str, Any]]:
    """Ask for what the offer gives (its kind of help). The ask is routed by its place and
    kept private as any ask; it is suggested first to the member who offered (it is in
    their `GET /proposals`), and goes to the board if they decline or do not answer in
    time. 409 for a withdrawn offer, 400 for your own; `place` as for `POST /asks`."""
    asker: User = request.auth  # type: ignore[attr-defined]
    offer = selectors.get_offer(offer_id)
    point = ask_point(payload.place, payload.contact.address)
    if isinstance(point, PlaceUnclearOut):
        return Status(422, point.dict())
    ask = services.answer_offer(
        offer=offer,
        asker=asker,
        what=payload.what,
        lat=point[0],
        lon=point[1],
        consent=payload.consent,
        urgency=payload.urgency,
        language=payload.language,
        address=payload.contact.address,
        contact_phone=payload.contact.phone,
        contact_email=payload.contact.email,
        consent_channel=ConsentChannel.API,
    )
    return Status(
        201,
        {
            "id": ask.pk,
            "status": ask.status,
            "area": public_area(ask),
            "group": ask.group.slug if ask.group else None,
            "offered_first": ask.offered_until is not None,
            "url": request.build_absolute_uri(f"/asks/{ask.pk}/"),
        },
    )
