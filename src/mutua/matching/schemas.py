"""Shapes of the suggestions API (dispatch suggestions to a helper)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.aid.schemas import AskOut

_SUGGESTION_EXAMPLE: JsonDict = {
    "id": 12,
    "status": "pending",
    "approx_km": 1.5,
    "created_at": "2025-03-01T09:35:00Z",
    "expires_at": "2025-03-01T10:35:00Z",
    "decided_at": None,
    "ask": {
        "id": 42,
        "status": "open",
        "what": "Prescription pick-up from the chemist on Mare Street",
        "category": "prescriptions",
        "urgency": 3,
        "language": "en",
        "area": {
            "cell": "88194ad30dfffff",
            "name": "Hackney Central",
            "lat": 51.5449,
            "lon": -0.0556,
        },
        "group": "hackney-central",
        "created_at": "2025-03-01T09:30:00Z",
        "expires_at": "2025-03-15T09:30:00Z",
        "distance_km": None,
    },
}


class SuggestionOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_SUGGESTION_EXAMPLE]})

    id: int
    status: str = Field(..., description="pending, accepted, declined, expired or superseded")
    approx_km: float = Field(..., description="How far, to the nearest half kilometre")
    created_at: datetime
    expires_at: datetime = Field(..., description="Unanswered by then, it goes to someone else")
    decided_at: datetime | None
    ask: AskOut = Field(..., description="The ask, public view; accept to see the contact")


class SuggestionPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_SUGGESTION_EXAMPLE], "next": None}]}
    )

    items: list[SuggestionOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")
