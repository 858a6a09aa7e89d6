"""The network's figures in the API: where help is missing (aid.shortfall)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.aid.shortfall import WEEKS, where_help_is_missing
from mutua.core.schemas import errors
from mutua.groups.selectors import group_by_slug

router = Router(tags=["groups"])


class AreaNeedOut(Schema):
    group: str = Field(..., description="The slug of the area's group")
    name: str
    lat: float = Field(..., description="The area's centre")
    lon: float
    asks_per_week: float = Field(..., description="Asks a week over the last `weeks` weeks")
    helpers_in_reach: int
    asks_per_helper: float
    short: bool = Field(..., description="More asks a week than helpers within reach")


_EXAMPLE: JsonDict = {
    "weeks": 4,
    "items": [
        {
            "group": "homerton",
            "name": "Homerton Mutual Aid",
            "lat": 51.547,
            "lon": -0.042,
            "asks_per_week": 6.5,
            "helpers_in_reach": 3,
            "asks_per_helper": 2.17,
            "short": True,
        }
    ],
}


class HelpMissingOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    weeks: int
    items: list[AreaNeedOut]


@router.get(
    "/{slug:slug}/help-missing",
    response={200: HelpMissingOut, **errors(404)},
    auth=None,
    summary="Where help is missing in a network",
)
def help_missing(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Every area of the network (the group and the groups inside it) with need against
    helpers within reach, the shortest of helpers first. Figures only."""
    areas = where_help_is_missing(group_by_slug(slug))
    return {
        "weeks": WEEKS,
        "items": [
            {
                "group": area.group.slug,
                "name": area.group.name,
                "lat": area.group.center_lat,
                "lon": area.group.center_lon,
                "asks_per_week": area.asks_per_week,
                "helpers_in_reach": area.helpers_in_reach,
                "asks_per_helper": round(area.asks_per_helper, 2),
                "short": area.short,
            }
            for area in areas
        ],
    }
