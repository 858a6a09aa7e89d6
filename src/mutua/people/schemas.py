"""Shapes of the profile and token API. They check shape only; rules live in the services."""

from __future__ import annotations

from datetime import datetime, time

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic.config import JsonDict

from mutua.core.schemas import PlaceIn, without_time_zone

_PROFILE_EXAMPLE: JsonDict = {
    "display_name": "Sam",
    "languages": ["en", "bn"],
    "skills": ["groceries", "pets"],
    "travel_radius_km": 3,
    "max_asks_at_once": 2,
    "available_days": [5, 6],
    "available_from": "09:00:00",
    "available_to": "13:00:00",
    "paused": False,
}


class HomeOut(Schema):
    cell: str = Field(..., description="H3 cell, resolution 8: the area, never the address")
    lat: float = Field(..., description="Centre of the cell")
    lon: float


class ProfileOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "sam@example.org",
                    **_PROFILE_EXAMPLE,
                    "home": {"cell": "88194ad30dfffff", "lat": 51.5449, "lon": -0.0556},
                }
            ]
        }
    )

    email: str
    display_name: str
    languages: list[str]
    skills: list[str] = Field(..., description="Category slugs you can help with")
    travel_radius_km: int
    max_asks_at_once: int = Field(..., description="Dispatch never suggests more than this")
    home: HomeOut | None
    available_days: list[int] = Field(..., description="0 (Monday) to 6 (Sunday)")
    available_from: time | None
    available_to: time | None
    paused: bool = Field(..., description="Taking a break: nothing is suggested to you")


class ProfileIn(Schema):
    """The whole profile. `home` and `max_asks_at_once` left out keep what was saved."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**_PROFILE_EXAMPLE, "home": {"lat": 51.545, "lon": -0.0553}}]
        }
    )

    display_name: str = Field("", max_length=80)
    languages: list[str] = Field(
        default_factory=list, max_length=20, description="Language codes such as en or pt-BR"
    )
    skills: list[str] = Field(default_factory=list, max_length=20)
    travel_radius_km: int = Field(3, ge=0, le=500)
    max_asks_at_once: int | None = Field(None, ge=1, le=20)
    home: PlaceIn | None = Field(None, description="Any point: only its ~1 km cell is kept")
    available_days: list[int] = Field(default_factory=list, max_length=7)
    available_from: time | None = Field(None, description="A time of day such as 09:00")
    available_to: time | None = Field(None, description="A time of day such as 13:00")
    paused: bool = False

    @field_validator("available_from", "available_to")
    @classmethod
    def _local_time(cls, value: time | None) -> time | None:
        return without_time_zone(value)


_TOKEN_EXAMPLE: JsonDict = {
    "id": 4,
    "name": "shared spreadsheet",
    "scope": "read",
    "created_at": "2025-03-01T09:30:00Z",
    "last_used_at": "2025-03-02T08:00:00Z",
    "revoked_at": None,
    "current": False,
}


class TokenOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_TOKEN_EXAMPLE]})

    id: int
    name: str
    scope: str = Field(..., description="read (GET only) or write")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None = Field(..., description="Set once revoked; it no longer works")
    current: bool = Field(..., description="True for the token making this request")


class TokenPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_TOKEN_EXAMPLE], "next": None}]}
    )

    items: list[TokenOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")
