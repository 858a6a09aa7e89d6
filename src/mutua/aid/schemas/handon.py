"""The shapes of passing an ask on to another group: the unrouted list, where an ask has
been and where it may go, and the pass."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.aid.schemas import _ASK_EXAMPLE, AskOut
from mutua.core.schemas import SLUG_PATTERN


class HandOnIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"group": "hackney"}]})

    group: str = Field(
        ..., min_length=1, max_length=80, pattern=SLUG_PATTERN, description="The group's short name"
    )


class HandOnStep(Schema):
    from_group: str | None = Field(..., description="The group it left; null: no group had it")
    to_group: str | None
    at: datetime
    automatic: bool = Field(..., description="Passed on when its group's time to wait ran out")


class HandOnTarget(Schema):
    group: str
    name: str
    km: float | None = Field(..., description="From the ask's public place to the group's area")
    parent: bool = Field(..., description="A group the holding group is part of")


_TARGET_EXAMPLE: JsonDict = {
    "group": "hackney",
    "name": "Hackney Mutual Aid",
    "km": 0.0,
    "parent": True,
}


class HandOnOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "group": "hackney",
                    "path": [
                        {
                            "from_group": "hackney-central",
                            "to_group": "hackney",
                            "at": "2025-03-01T12:00:00Z",
                            "automatic": False,
                        }
                    ],
                    "targets": [],
                }
            ]
        }
    )

    id: int
    group: str | None = Field(..., description="The group holding the ask now; null: none")
    path: list[HandOnStep]
    targets: list[HandOnTarget] = Field(
        ..., description="Where the caller may pass it; empty when they may not"
    )


class UnroutedOut(AskOut):
    place_name: str | None = Field(..., description="The coarse place in words, e.g. Brighton")
    nearest: list[HandOnTarget] = Field(..., description="The established groups nearest it")


class UnroutedPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            **_ASK_EXAMPLE,
                            "group": None,
                            "distance_km": None,
                            "place_name": "Brighton",
                            "nearest": [{**_TARGET_EXAMPLE, "km": 71.5, "parent": False}],
                        }
                    ],
                    "next_page": None,
                }
            ]
        }
    )

    items: list[UnroutedOut]
    next_page: int | None = Field(..., description="The next page's number; null: the last")
