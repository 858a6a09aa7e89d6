"""Shapes of the groups API. They check shape only; rules live in mutua.groups.services."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.core.schemas import SLUG_PATTERN, PageQuery

_GROUP_EXAMPLE: JsonDict = {
    "slug": "hackney-central",
    "name": "Hackney Central",
    "kind": "ward",
    "parent": "hackney",
    "description": "Neighbours around Mare Street helping each other.",
    "area_km2": 12.6,
    "center": {"lat": 51.545, "lon": -0.0553},
    "member_count": 214,
    "open_ask_count": 9,
    "created_at": "2025-01-12T18:00:00Z",
}
_GROUP_DETAIL_EXAMPLE: JsonDict = _GROUP_EXAMPLE | {
    "who_may_take": "trusted",
    "trust_to_take": 2,
    "stricter_categories": {"trusted": ["check-in", "childcare"], "role": []},
    "established": True,
}


class CentreOut(Schema):
    lat: float
    lon: float


class GroupOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_GROUP_EXAMPLE]})

    slug: str = Field(..., description="Short name, used in URLs")
    name: str
    kind: str = Field(..., description="network, area, ward or street")
    parent: str | None = Field(..., description="Slug of the group this one is part of")
    description: str
    area_km2: float
    center: CentreOut | None = Field(..., description="Middle of the area; null without one")
    member_count: int
    open_ask_count: int
    created_at: datetime


class StricterCategoriesOut(Schema):
    trusted: list[str] = Field(..., description="Kinds of help only trusted members take")
    role: list[str] = Field(..., description="Kinds of help only named trusted helpers take")


class GroupDetailOut(GroupOut):
    model_config = ConfigDict(json_schema_extra={"examples": [_GROUP_DETAIL_EXAMPLE]})

    who_may_take: Literal["members", "trusted", "role"] = Field(
        ...,
        description=(
            "Who may take the group's asks: members with a verified e-mail or linked phone, "
            "members trusted by other members, or trusted helpers the group named"
        ),
    )
    trust_to_take: int = Field(..., description="Members whose trust makes a member trusted")
    stricter_categories: StricterCategoriesOut
    established: bool = Field(
        ..., description="Whether asks routed to the group's area come to it yet"
    )


class GroupPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_GROUP_EXAMPLE], "next": None}]}
    )

    items: list[GroupOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")


class GroupQuery(PageQuery):
    kind: Literal["network", "area", "ward", "street"] | None = None
    parent: str | None = Field(
        None, max_length=80, pattern=SLUG_PATTERN, description="Only groups inside this one"
    )


_MEMBERSHIP_EXAMPLE: JsonDict = {
    "id": 51,
    "group": "hackney-central",
    "group_name": "Hackney Central",
    "joined_at": "2025-02-02T12:00:00Z",
    "second_area": False,
}
_MEMBER_EXAMPLE: JsonDict = {"id": 51, "name": "Sam", "joined_at": "2025-02-02T12:00:00Z"}


class MembershipOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_MEMBERSHIP_EXAMPLE]})

    id: int
    group: str = Field(..., description="The group's slug")
    group_name: str
    joined_at: datetime
    second_area: bool = Field(
        ...,
        description="The member helps in this group's area as well as near home: "
        "dispatch suggests them asks there that nobody nearer could take.",
    )


class MembershipPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_MEMBERSHIP_EXAMPLE], "next": None}]}
    )

    items: list[MembershipOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")


class MemberOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_MEMBER_EXAMPLE]})

    id: int = Field(..., description="The membership's number")
    name: str = Field(..., description="The member's display name (never their email)")
    joined_at: datetime


class MemberPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_MEMBER_EXAMPLE], "next": "YWZ0ZXI6NTE"}]}
    )

    items: list[MemberOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")


class PlaceQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="The place as words")
    near: str | None = Field(
        None, max_length=64, description="LAT,LON: rank places nearest this point first"
    )


class PlaceOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Dalston, Hackney",
                    "lat": 51.5463,
                    "lon": -0.0754,
                    "group": "hackney-central-mutual-aid",
                    "kind": "district",
                }
            ]
        }
    )

    name: str
    lat: float
    lon: float
    group: str | None = Field(..., description="Slug of the group an ask there would reach")
    kind: str = Field(
        ...,
        description=(
            "point (typed coordinates), group (a group's name), a kind of name a group added "
            "(district, estate, street, landmark, postcode), town (the offline gazetteer) "
            "or geocoder (the online geocoder, where the server has one)"
        ),
    )


class PlacePage(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "name": "Camden Town",
                            "lat": 51.54057,
                            "lon": -0.14334,
                            "group": "camden-mutual-aid",
                            "kind": "town",
                        },
                        {
                            "name": "Camden, New Jersey, United States",
                            "lat": 39.92595,
                            "lon": -75.11962,
                            "group": None,
                            "kind": "town",
                        },
                    ]
                }
            ]
        }
    )

    items: list[PlaceOut] = Field(..., description="Best first; far from the network last")
