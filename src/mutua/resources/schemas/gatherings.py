"""The shapes of the gatherings API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic.config import JsonDict

from mutua.core.schemas import Moment
from mutua.resources.schemas._examples import examples as _examples

_GATHERING: JsonDict = {
    "id": 2,
    "title": "Peer support: carers",
    "description": "Tea, biscuits, and time to talk",
    "place": "St Mark's hall",
    "starts_at": "2025-03-04T18:00:00Z",
    "ends_at": "2025-03-04T20:00:00Z",
    "private_attendance": True,
    "going": 6,
    "names": [],
    "mine": True,
}


class GatheringIn(Schema):
    model_config = _examples(
        {
            "title": "Peer support: carers",
            "place": "St Mark's hall",
            "starts_at": "2025-03-04T18:00:00Z",
            "private_attendance": True,
        }
    )

    title: str = Field(..., max_length=120)
    place: str = Field(..., max_length=300)
    starts_at: Moment
    ends_at: Moment | None = Field(None, description="Empty: two hours after it starts")
    description: str = Field("", max_length=1000)
    private_attendance: bool = Field(False, description="Show only how many are coming")


class GatheringOut(Schema):
    model_config = _examples(_GATHERING)

    id: int
    title: str
    description: str
    place: str
    starts_at: datetime
    ends_at: datetime
    private_attendance: bool
    going: int
    names: list[str] = Field(..., description="Who is coming; empty when attendance is private")
    mine: bool | None = Field(None, description="Your answer; null if you have not answered")


class GatheringList(Schema):
    model_config = _examples({"items": [_GATHERING]})

    items: list[GatheringOut]


class RsvpIn(Schema):
    model_config = _examples({"going": True})

    going: bool
