"""The shapes of the lending library API."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema
from pydantic.config import JsonDict

from mutua.resources.schemas._examples import examples as _examples

_THING: JsonDict = {
    "id": 7,
    "name": "Ladder (3 m)",
    "description": "Aluminium, folds",
    "lent_by": "Sam",
    "hub": None,
    "borrower": "Ada",
    "due_on": "2025-03-08",
    "late": False,
}


class ThingOut(Schema):
    model_config = _examples(_THING)

    id: int
    name: str
    description: str
    lent_by: str = Field(..., description="The member's display name, or the hub's name")
    hub: int | None
    borrower: str | None = Field(None, description="Who has it now (members see it)")
    due_on: date | None
    late: bool


class ThingList(Schema):
    model_config = _examples({"items": [_THING]})

    items: list[ThingOut]


class ThingIn(Schema):
    model_config = _examples({"name": "Ladder (3 m)", "description": "Aluminium, folds"})

    name: str = Field(..., max_length=120)
    description: str = Field("", max_length=500)
    hub: int | None = Field(None, description="Kept at this hub (stock keepers); empty: yours")


class BorrowIn(Schema):
    model_config = _examples({"due_on": "2025-03-08"})

    due_on: date = Field(..., description="From today to three months ahead")
