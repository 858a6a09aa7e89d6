"""Shapes of the asks API. They check shape only; rules live in mutua.aid.services.

Asks, offers and claims are here; passing an ask on to another group is in `handon`,
answering an offer in `answers`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool, field_validator, model_validator
from pydantic.config import JsonDict

from mutua.core.schemas import (
    SLUG_PATTERN,
    PageQuery,
    PlaceIn,
    ValidationErrorOut,
    not_a_truth_value,
)
from mutua.groups.schemas import PlaceOut

_AREA_EXAMPLE: JsonDict = {
    "cell": "88194ad30dfffff",
    "name": "Hackney Central",
    "lat": 51.5449,
    "lon": -0.0556,
}
_ASK_EXAMPLE: JsonDict = {
    "id": 42,
    "status": "open",
    "what": "Prescription pick-up from the chemist on Mare Street",
    "category": "prescriptions",
    "urgency": 3,
    "language": "en",
    "area": _AREA_EXAMPLE,
    "group": "hackney-central",
    "created_at": "2025-03-01T09:30:00Z",
    "expires_at": "2025-03-15T09:30:00Z",
    "distance_km": 0.4,
}


class ContactIn(Schema):
    name: str = Field("", max_length=120)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)


class AskPlaceIn(Schema):
    """Where the ask is: a point, or the place in words ("Dalston", "E8 1DY")."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"lat": 51.545, "lon": -0.0553}, {"text": "Dalston"}]}
    )

    lat: float | None = Field(None, ge=-90, le=90, description="Latitude in degrees (WGS 84)")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude in degrees (WGS 84)")
    text: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="The place in words, instead of lat and lon; see GET /api/v1/places",
    )

    @field_validator("lat", "lon", mode="before")
    @classmethod
    def _numbers_only(cls, value: object) -> object:
        return not_a_truth_value(value)

    @model_validator(mode="after")
    def _point_or_text(self) -> AskPlaceIn:
        if self.text is None and (self.lat is None or self.lon is None):
            raise ValueError("give lat and lon, or text")
        return self


class PlaceUnclearOut(Schema):
    """The place was given as words that name no place near the network's groups, or
    several: the candidates to choose from (send one's lat and lon)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "Camden could mean several places: send the lat and lon of one.",
                    "field": "place",
                    "candidates": [],
                }
            ]
        }
    )

    detail: str
    field: str = "place"
    candidates: list[PlaceOut] = Field(..., description="Best first, at most three")


# A 422 from POST /asks: input of the wrong shape, or a place in words to choose for.
ValidationOrPlaceOut = PlaceUnclearOut | ValidationErrorOut


class AskIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "what": "Prescription pick-up from the chemist on Mare Street",
                    "category": "prescriptions",
                    "place": {"lat": 51.545, "lon": -0.0553},
                    "contact": {"name": "Ada", "phone": "+44 20 7946 0000"},
                    "language": "en",
                    "urgency": 3,
                    "consent": True,
                }
            ]
        }
    )

    what: str = Field(..., max_length=2000, description="What is needed, in the asker's words")
    category: str = Field(..., max_length=20, description="A category slug, e.g. groceries")
    place: AskPlaceIn = Field(..., description='{"lat", "lon"}, or {"text": "Dalston"}')
    contact: ContactIn = Field(
        default_factory=lambda: ContactIn(name="", phone="", email="", address="")
    )
    language: str = Field("en", max_length=12, description="Language code, e.g. en, bn, pt-BR")
    # Strict: JSON true is not 1, and "yes" is not true. Lax coercion once stored
    # `"urgency": true` as 1 and took `"consent": "yes"` for consent.
    urgency: Annotated[int, Field(strict=True, ge=1, le=3)] | Literal["low", "normal", "urgent"] = (
        Field(2, description="1 (when someone can), 2 (in the next few days), 3 (today), or a name")
    )
    consent: StrictBool = Field(
        ..., description="The asker agrees to their details being kept: JSON true"
    )


class AreaOut(Schema):
    cell: str = Field(..., description="H3 cell, resolution 8 (about 1 km across)")
    name: str = Field(..., description="The group area's name, empty when unrouted")
    lat: float = Field(..., description="Centre of the cell, not the exact place")
    lon: float


class AskCreatedOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "status": "open",
                    "area": _AREA_EXAMPLE,
                    "group": "hackney-central",
                    "key": "3f1c9a0e5b7d4c2a8e6f1b3d5c7a9e0f",
                    "url": "https://aid.example.org/asks/42/?key=3f1c9a0e5b7d4c2a8e6f1b3d5c7a9e0f",
                }
            ]
        }
    )

    id: int
    status: str
    area: AreaOut
    group: str | None = Field(None, description="Slug of the group it was routed to")
    key: str = Field(..., description="Secret that lets the asker see and manage the ask")
    url: str


class AskExistingOut(Schema):
    id: int
    status: str
    area: AreaOut
    group: str | None = Field(None, description="Slug of the group it was routed to")
    key: str | None = Field(
        None, description="Only for the ask's own account (token): the secret, as on 201"
    )
    url: str | None = None


class AskDuplicateOut(Schema):
    """409: the same contact made a similar ask within 24 hours; nothing new was saved."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "This looks like ask #42, sent from the same contact in the last "
                    "24 hours: it was not sent twice.",
                    "ask": {
                        "id": 42,
                        "status": "open",
                        "area": _AREA_EXAMPLE,
                        "group": "hackney-central",
                        "key": None,
                        "url": None,
                    },
                }
            ]
        }
    )

    detail: str
    ask: AskExistingOut


class AskOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_ASK_EXAMPLE]})

    id: int
    status: str
    what: str
    category: str
    urgency: int
    language: str
    area: AreaOut
    group: str | None
    created_at: datetime
    expires_at: datetime
    distance_km: float | None = None


class BoardOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"count": 1, "items": [_ASK_EXAMPLE]}]}
    )

    count: int
    items: list[AskOut]


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    address: str


class AskDetailOut(AskOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_ASK_EXAMPLE,
                    "status": "claimed",
                    "distance_km": None,
                    "access": "helper",
                    "place": {"lat": 51.545, "lon": -0.0553},
                    "contact": {
                        "name": "Ada",
                        "phone": "+44 20 7946 0000",
                        "email": "",
                        "address": "12 Example Road, London E8",
                    },
                }
            ]
        }
    )

    access: str | None = Field(
        None,
        description=(
            "Why private details are shown: asker, helper, or the group's safeguarding or "
            "hotline role; null when hidden"
        ),
    )
    place: PlaceIn | None = None
    contact: ContactOut | None = None


_OFFER_EXAMPLE: JsonDict = {
    "id": 7,
    "kind": "time",
    "category": "groceries",
    "what": "I can shop on Saturday mornings",
    "group": "hackney-central",
    "member": "Sam",
    "active": True,
    "created_at": "2025-03-01T09:30:00Z",
}


class OfferIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "time",
                    "category": "groceries",
                    "what": "I can shop on Saturday mornings",
                    "group": "hackney-central",
                }
            ]
        }
    )

    kind: Literal["skill", "thing", "time"] = Field(..., description="skill, thing or time")
    category: str = Field(..., max_length=20, description="A category slug, e.g. groceries")
    what: str = Field(..., max_length=500, description="What you can give, in your words")
    group: str | None = Field(
        None,
        max_length=80,
        pattern=SLUG_PATTERN,
        description="Slug of one of your groups; omit for anyone nearby",
    )


class OfferOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_OFFER_EXAMPLE]})

    id: int
    kind: str
    category: str
    what: str
    group: str | None = Field(..., description="Slug of the group it is for, or null")
    member: str = Field(..., description="The member's display name (never their email)")
    active: bool = Field(..., description="False once withdrawn")
    created_at: datetime


class OfferPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_OFFER_EXAMPLE], "next": "YWZ0ZXI6Nw"}]}
    )

    items: list[OfferOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")


class OfferQuery(PageQuery):
    category: str | None = Field(None, max_length=20, description="Only this category")
    kind: Literal["skill", "thing", "time"] | None = None
    group: str | None = Field(
        None, max_length=80, pattern=SLUG_PATTERN, description="Only offers for this group"
    )


_CLAIM_EXAMPLE: JsonDict = {
    "id": 3,
    "outcome": "active",
    "claimed_at": "2025-03-01T10:00:00Z",
    "ended_at": None,
    "ask": {**_ASK_EXAMPLE, "status": "claimed", "distance_km": None},
}


class ClaimOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_CLAIM_EXAMPLE]})

    id: int
    outcome: str = Field(..., description="active, released, done or cancelled")
    claimed_at: datetime
    ended_at: datetime | None
    ask: AskOut = Field(..., description="The ask, public view: GET /asks/{id} for contact")


class ClaimPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_CLAIM_EXAMPLE], "next": None}]}
    )

    items: list[ClaimOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")


class ClaimQuery(PageQuery):
    outcome: Literal["active", "released", "done", "cancelled"] | None = None
