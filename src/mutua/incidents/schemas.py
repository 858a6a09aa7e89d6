"""The shapes of the incidents API: input checked for shape only, services do the rest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.core.schemas import SLUG_PATTERN

_AREA: JsonDict = {
    "type": "Polygon",
    "coordinates": [
        [[-0.07, 51.54], [-0.04, 51.54], [-0.04, 51.555], [-0.07, 51.555], [-0.07, 51.54]]
    ],
}
_INCIDENT: JsonDict = {
    "id": 4,
    "group": "hackney-central",
    "name": "River Lea flood",
    "kind": "flood",
    "status": "open",
    "emergency": True,
    "confirmed": False,
    "proposal": 31,
    "work_types": ["mucking-out", "supplies", "wellness-check"],
    "intake_fields": [
        {"key": "water_depth_cm", "label": "Water depth (cm)", "type": "number"},
        {"key": "power", "label": "Power on", "type": "yesno"},
    ],
    "opened_at": "2025-03-01T10:00:00Z",
    "closed_at": None,
}
_FIGURES: JsonDict = {
    "cases": 12,
    "asks": {"open": 7, "claimed": 3, "done": 2},
    "work": {"mucking-out": {"waiting": 4, "taken": 3, "done": 2}},
    "groups_at_work": 2,
    "volunteers": 5,
}
_CASE: JsonDict = {
    "id": 9,
    "ask": 120,
    "category": "other",
    "urgency": 3,
    "status": "open",
    "area": "Hackney Wick",
    "needs": ["mucking-out", "supplies"],
    "intake": {"water_depth_cm": 40, "power": False},
    "work": [
        {"id": 3, "work_type": "mucking-out", "group": "hackney-central", "status": "claimed"}
    ],
}


def _examples(*examples: JsonDict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class IntakeFieldIn(Schema):
    key: str = Field(..., max_length=40, description="Lower-case letters, digits and _")
    label: str = Field(..., max_length=80, description="The question, as responders read it")
    type: str = Field(..., max_length=8, description="number, yesno or choice")
    choices: list[str] | None = Field(None, max_length=10, description="For type choice")


class IncidentIn(Schema):
    model_config = _examples(
        {
            "group": "hackney-central",
            "name": "River Lea flood",
            "kind": "flood",
            "area": _AREA,
            "work_types": ["mucking-out", "supplies", "wellness-check"],
            "emergency": True,
        }
    )

    group: str = Field(..., max_length=80, pattern=SLUG_PATTERN, description="The group's slug")
    name: str = Field(..., max_length=120)
    kind: str = Field(..., max_length=12, description="flood, storm, fire, heat or outbreak")
    area: dict[str, Any] | list[str] = Field(
        ..., description="GeoJSON (Polygon, MultiPolygon, Feature, FeatureCollection) or H3 cells"
    )
    work_types: list[str] | None = Field(
        None,
        max_length=5,
        description="Among mucking-out, tarping, debris, supplies, wellness-check (all if omitted)",
    )
    intake_fields: list[IntakeFieldIn] | None = Field(
        None, max_length=12, description="Extra questions per case (the type's own if omitted)"
    )
    emergency: bool = Field(
        False,
        description="Open at once (the group's dispatchers only), with a proposal to confirm it",
    )
    days: int = Field(2, ge=1, le=90, description="Days the group has to decide")


class IncidentOut(Schema):
    model_config = _examples(_INCIDENT)

    id: int
    group: str
    name: str
    kind: str
    status: str
    emergency: bool
    confirmed: bool
    proposal: int | None
    work_types: list[str]
    intake_fields: list[dict[str, Any]]
    opened_at: datetime | None
    closed_at: datetime | None


class IncidentList(Schema):
    model_config = _examples({"items": [_INCIDENT]})

    items: list[IncidentOut]


class WorkOut(Schema):
    id: int
    work_type: str
    group: str
    status: str


class CaseOut(Schema):
    model_config = _examples(_CASE)

    id: int
    ask: int
    category: str
    urgency: int
    status: str
    area: str = Field(..., description="The ask's coarse place; never its address")
    needs: list[str]
    intake: dict[str, Any]
    work: list[WorkOut]


class IncidentDetail(IncidentOut):
    model_config = _examples(
        {**_INCIDENT, "responder": True, "figures": _FIGURES, "cases": [_CASE]},
        {**_INCIDENT, "responder": False, "figures": {"cases": 12, "done": None}, "cases": []},
    )

    responder: bool = Field(
        ..., description="Whether you see its cases (its group's members and volunteers)"
    )
    figures: dict[str, Any] = Field(
        ...,
        description="Exact counts for responders; for others, counts of fewer than 5 are null",
    )
    cases: list[CaseOut]


class JoinOut(Schema):
    model_config = _examples({"incident": 4, "home_group": "islington"})

    incident: int
    home_group: str


class WorkClaimIn(Schema):
    model_config = _examples({"work_type": "mucking-out", "group": "hackney-central"})

    work_type: str = Field(..., max_length=20)
    group: str = Field(
        ..., max_length=80, pattern=SLUG_PATTERN, description="The group taking it: one of yours"
    )


class WorkClaimOut(WorkOut):
    model_config = _examples(
        {"id": 3, "work_type": "mucking-out", "group": "hackney-central", "status": "claimed"}
    )

    case: int


class AssessIn(Schema):
    model_config = _examples(
        {"needs": ["mucking-out"], "intake": {"water_depth_cm": 40, "power": False}}
    )

    needs: list[str] = Field(default_factory=list, max_length=5)
    intake: dict[str, Any] = Field(default_factory=dict)
