"""The shapes of the hubs and stock API."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema
from pydantic.config import JsonDict

from mutua.resources.models import MovementKind
from mutua.resources.schemas._examples import examples as _examples

_LEVEL: JsonDict = {"item": 3, "name": "Tinned tomatoes", "unit": "tins", "level": 14, "low": False}
_HUB: JsonDict = {
    "id": 1,
    "name": "St Mark's pantry",
    "address": "St Mark's hall, Sandringham Road",
    "opening_hours": "Tue and Fri 10-13",
    "levels": [_LEVEL],
}
_MOVEMENT: JsonDict = {
    "id": 40,
    "hub": 1,
    "item": 3,
    "kind": "given",
    "change": -2,
    "use_by": None,
    "reason": "",
    "ask": 12,
    "recorded_at": "2025-03-01T10:00:00Z",
    "recorded_by": "Sam",
}


class LevelOut(Schema):
    item: int
    name: str
    unit: str
    level: int = Field(..., description="The sum of every movement of the item at the hub")
    low: bool = Field(..., description="At or below the item's low level")


class HubOut(Schema):
    model_config = _examples(_HUB)

    id: int
    name: str
    address: str
    opening_hours: str
    levels: list[LevelOut]


class StockOut(Schema):
    model_config = _examples({"hubs": [_HUB]})

    hubs: list[HubOut]


class HubIn(Schema):
    model_config = _examples(
        {"name": "St Mark's pantry", "address": "Sandringham Road", "opening_hours": "Tue 10-13"}
    )

    name: str = Field(..., max_length=120)
    address: str = Field("", max_length=300)
    opening_hours: str = Field("", max_length=300)


class ItemIn(Schema):
    model_config = _examples({"name": "Tinned tomatoes", "unit": "tins", "low_at": 10})

    name: str = Field(..., max_length=120)
    unit: str = Field(..., max_length=30)
    low_at: int = Field(0, description="The stock keepers are told at or below it; 0: never")


class ItemOut(Schema):
    model_config = _examples({"id": 3, "name": "Tinned tomatoes", "unit": "tins", "low_at": 10})

    id: int
    name: str
    unit: str
    low_at: int


class MovementIn(Schema):
    model_config = _examples(
        {"hub": 1, "item": 3, "kind": "recovered", "quantity": 12, "use_by": "2025-03-04"}
    )

    hub: int
    item: int
    kind: str = Field(..., description="One of: " + ", ".join(MovementKind.values))
    quantity: int = Field(..., description="Whole units, above 0")
    use_by: date | None = Field(None, description="Needed for recovered food")
    reason: str = Field("", max_length=200, description="Needed when it takes the level below zero")
    ask: int | None = Field(None, description="The ask it was given out for")


class MovementOut(Schema):
    model_config = _examples(_MOVEMENT)

    id: int
    hub: int
    item: int
    kind: str
    change: int = Field(..., description="+ in, - out")
    use_by: date | None
    reason: str
    ask: int | None
    recorded_at: datetime
    recorded_by: str | None


class MovementList(Schema):
    model_config = _examples({"items": [_MOVEMENT]})

    items: list[MovementOut]


class LineIn(Schema):
    item: int
    quantity: int


class MeetAskIn(Schema):
    model_config = _examples({"ask": 12, "lines": [{"item": 3, "quantity": 2}], "reason": ""})

    ask: int
    lines: list[LineIn]
    reason: str = Field("", max_length=200)
