"""A group's area in the API: read it (with the groups it overlaps), and propose a new
one as GeoJSON, which the group then decides on like any proposal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.core.errors import NotAllowed
from mutua.core.schemas import TOKEN_ERRORS, errors
from mutua.governance import policy
from mutua.governance.selectors.areas import area_of
from mutua.governance.services import areas
from mutua.groups import selectors as group_selectors
from mutua.people.auth import bearer
from mutua.people.models import User

router = Router(tags=["groups"])

_SQUARE: JsonDict = {
    "type": "Polygon",
    "coordinates": [
        [[-0.06, 51.54], [-0.04, 51.54], [-0.04, 51.55], [-0.06, 51.55], [-0.06, 51.54]]
    ],
}


class AreaOverlapOut(Schema):
    group: str = Field(..., description="The slug of a group whose area shares streets")
    name: str
    established: bool


class GroupAreaOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "group": "hackney-central",
                    "area_km2": 2.2,
                    "outline": {"type": "MultiPolygon", "coordinates": []},
                    "overlaps": [
                        {"group": "dalston", "name": "Dalston Mutual Aid", "established": True}
                    ],
                }
            ]
        }
    )

    group: str
    area_km2: float
    outline: dict[str, Any] = Field(..., description="The area as a GeoJSON geometry")
    overlaps: list[AreaOverlapOut]


class GroupAreaIn(Schema):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"area": _SQUARE, "days": 7}]}
    )

    area: dict[str, Any] = Field(
        ..., description="GeoJSON: a Polygon, MultiPolygon, Feature or FeatureCollection"
    )
    days: int = Field(7, ge=1, le=60, description="Days the group has to decide")


class AreaProposalOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"proposal": 12, "area_km2": 2.4, "deadline": "2026-12-13T12:00:00Z"}]
        }
    )

    proposal: int
    area_km2: float
    deadline: str


@router.get(
    "/{slug:slug}/area",
    response={200: GroupAreaOut, **errors(404)},
    auth=None,
    summary="A group's area",
)
def area(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The group's area as GeoJSON, and the groups whose areas overlap it."""
    group = group_selectors.group_by_slug(slug)
    area = area_of(group)
    return {
        "group": group.slug,
        "area_km2": round(group.area_km2, 3),
        "outline": area.outline(),
        "overlaps": [
            {"group": o.slug, "name": o.name, "established": o.established_at is not None}
            for o in area.overlaps
        ],
    }


@router.post(
    "/{slug:slug}/area",
    response={201: AreaProposalOut, **errors(400, 403, 404, *TOKEN_ERRORS)},
    auth=bearer,
    summary="Propose a new area",
)
def propose(request: HttpRequest, slug: str, payload: GroupAreaIn) -> Status[dict[str, Any]]:
    """Open a proposal to change the group's area to `area`; members only. The area
    changes if the proposal passes."""
    user: User = request.auth  # type: ignore[attr-defined]
    group = group_selectors.group_by_slug(slug)
    if not policy.can_see_governance(user, group):
        raise NotAllowed(_("Only members of %(group)s propose its area.") % {"group": group.name})
    proposal = areas.propose_area(group=group, author=user, geojson=payload.area, days=payload.days)
    return Status(
        201,
        {
            "proposal": proposal.pk,
            "area_km2": round(proposal.new_area.area_km2, 3),
            "deadline": proposal.deadline.isoformat(),
        },
    )
