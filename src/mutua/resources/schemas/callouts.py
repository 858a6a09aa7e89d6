"""The shapes of the callouts API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic.config import JsonDict

from mutua.core.schemas import Moment
from mutua.resources.schemas._examples import examples as _examples

_CALLOUT: JsonDict = {
    "id": 5,
    "what": "Eviction defence: bodies at the door before the bailiffs come",
    "place": "14 Mare Street",
    "lat": 51.5465,
    "lon": -0.0553,
    "radius_km": 2.0,
    "starts_at": "2025-03-01T08:00:00Z",
    "ends_at": "2025-03-01T10:00:00Z",
    "open": True,
    "reached": 23,
    "coming": 9,
    "cant": 4,
    "mine": "coming",
    "closed_at": None,
    "close_reason": "",
}


class CalloutIn(Schema):
    model_config = _examples(
        {
            "what": "Eviction defence: bodies at the door before the bailiffs come",
            "place": "14 Mare Street",
            "starts_at": "2025-03-01T08:00:00Z",
            "radius_km": 2,
        }
    )

    what: str = Field(..., max_length=500)
    place: str = Field(..., max_length=200, description="Where to gather; members see it")
    starts_at: Moment
    ends_at: Moment | None = Field(None, description="Empty: two hours after it starts")
    radius_km: float = Field(..., description="Members living within this distance are called")
    lat: float | None = Field(None, ge=-90, le=90, description="Empty: found from `place`")
    lon: float | None = Field(None, ge=-180, le=180)


class CalloutOut(Schema):
    model_config = _examples(_CALLOUT)

    id: int
    what: str
    place: str
    lat: float
    lon: float
    radius_km: float
    starts_at: datetime
    ends_at: datetime
    open: bool
    reached: int = Field(..., description="How many members a message went to")
    coming: int
    cant: int
    mine: str = Field(..., description='Your answer: "coming", "cant" or ""')
    closed_at: datetime | None = Field(..., description="When it closed; empty while open")
    close_reason: str = Field(
        ..., description="Why its caller closed it before its end; empty otherwise"
    )


class CalloutList(Schema):
    model_config = _examples({"items": [_CALLOUT]})

    items: list[CalloutOut]


class CalloutAnswerIn(Schema):
    model_config = _examples({"answer": "coming"})

    answer: Literal["coming", "cant"]


class CalloutCloseIn(Schema):
    model_config = _examples({"reason": "Enough people are here, thank you all"})

    reason: str = Field(..., max_length=200, description="Why it closes before its end")
