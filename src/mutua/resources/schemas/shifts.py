"""The shapes of the shifts API."""

from __future__ import annotations

from datetime import date, datetime, time

from ninja import Field, Schema
from pydantic import field_validator

from mutua.core.schemas import without_time_zone
from mutua.resources.schemas._examples import examples as _examples


class ShiftIn(Schema):
    model_config = _examples(
        {
            "title": "Breakfast club",
            "place": "St Mark's hall",
            "weekdays": [0, 1, 2, 3, 4],
            "starts": "07:00",
            "ends": "09:00",
            "slots": 3,
            "first_day": "2025-03-03",
            "last_day": None,
        }
    )

    title: str = Field(..., max_length=120)
    place: str = Field("", max_length=200, description="A hall or a hub, never a home")
    weekdays: list[int] = Field(..., description="Monday is 0, Sunday 6")
    starts: time
    ends: time = Field(..., description="At or before `starts`: it ends the next day")
    slots: int = Field(..., description="People needed, 1 to 200")
    first_day: date
    last_day: date | None = None

    @field_validator("starts", "ends")
    @classmethod
    def _local_time(cls, value: time) -> time | None:
        return without_time_zone(value)


class ShiftDayOut(Schema):
    shift: int
    title: str
    place: str
    day: date
    begins: datetime
    ends: datetime
    slots: int
    taken: int
    names: list[str] = Field(..., description="Who is down for it, by display name")
    mine: bool


class RotaOut(Schema):
    model_config = _examples(
        {
            "items": [
                {
                    "shift": 4,
                    "title": "Breakfast club",
                    "place": "St Mark's hall",
                    "day": "2025-03-03",
                    "begins": "2025-03-03T07:00:00Z",
                    "ends": "2025-03-03T09:00:00Z",
                    "slots": 3,
                    "taken": 1,
                    "names": ["Sam"],
                    "mine": False,
                }
            ]
        }
    )

    items: list[ShiftDayOut]


class ShiftOut(Schema):
    model_config = _examples({"id": 4, "title": "Breakfast club", "weekdays": [0, 1, 2, 3, 4]})

    id: int
    title: str
    weekdays: list[int]


class ShiftDayIn(Schema):
    model_config = _examples({"day": "2025-03-03"})

    day: date
