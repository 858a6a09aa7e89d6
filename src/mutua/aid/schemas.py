"""Shapes of the asks API. They check shape only; rules live in mutua.aid.services."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema


class PlaceIn(Schema):
    lat: float = Field(..., ge=-90, le=90, description="Latitude in degrees (WGS 84)")
    lon: float = Field(..., ge=-180, le=180, description="Longitude in degrees (WGS 84)")


class ContactIn(Schema):
    name: str = Field("", max_length=120)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)


class AskIn(Schema):
    what: str = Field(..., max_length=2000, description="What is needed, in the asker's words")
    category: str = Field(..., max_length=20, description="A category slug, e.g. groceries")
    place: PlaceIn
    contact: ContactIn = Field(
        default_factory=lambda: ContactIn(name="", phone="", email="", address="")
    )
    language: str = Field("en", max_length=12, description="Language code, e.g. en, bn, pt-BR")
    urgency: int | Literal["low", "normal", "urgent"] = Field(
        2, description="1 (when someone can), 2 (in the next few days), 3 (today), or a name"
    )
    consent: bool = Field(..., description="The asker agrees to their details being kept")


class AreaOut(Schema):
    cell: str = Field(..., description="H3 cell, resolution 8 (about 1 km across)")
    name: str = Field(..., description="The group area's name, empty when unrouted")
    lat: float = Field(..., description="Centre of the cell, not the exact place")
    lon: float


class AskCreatedOut(Schema):
    id: int
    status: str
    area: AreaOut
    group: str | None = Field(None, description="Slug of the group it was routed to")
    key: str = Field(..., description="Secret that lets the asker see and manage the ask")
    url: str


class AskOut(Schema):
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
    count: int
    items: list[AskOut]


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    address: str


class AskDetailOut(AskOut):
    access: str | None = Field(
        None, description="Why private details are shown: asker or helper; null when hidden"
    )
    place: PlaceIn | None = None
    contact: ContactOut | None = None
