"""Shapes of federation's API input and output (no rules here)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

_LINK_EXAMPLE: JsonDict = {
    "id": 1,
    "name": "South London mutual aid",
    "url": "https://south.example",
    "key_id": "4cd5ba0d9314cf53dc9d6b572cce49d0",
    "state": "active",
    "ours": "agreed",
    "theirs": "agreed",
    "group": "north-network",
    "pinned_at": "2025-03-01T09:30:00Z",
    "their_figures": {
        "open": 14,
        "claimed": 6,
        "done": 310,
        "groups": 5,
        "needing_helpers": 2,
        "oldest_wait_hours": 30,
    },
    "figures_at": "2025-03-02T06:00:00Z",
}
_HAND_ON_EXAMPLE: JsonDict = {
    "crossing": "0b7f6a52-3c1e-4f8e-9d1a-2b7c5e4f1a90",
    "ask": 42,
    "link": 1,
    "direction": "sent",
    "outcome": "taken",
    "created_at": "2025-03-01T09:30:00Z",
    "updated_at": "2025-03-01T10:05:00Z",
}


class LinkOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_LINK_EXAMPLE]})

    id: int
    name: str
    url: str
    key_id: str
    state: str
    ours: str
    theirs: str
    group: str | None
    pinned_at: datetime
    their_figures: dict[str, int] = Field(
        ...,
        description="The other server's latest aggregate counts for its linked group and "
        "the groups inside it: open, claimed, done, groups, needing_helpers, "
        "oldest_wait_hours (empty until they first arrive)",
    )
    figures_at: datetime | None


class LinkList(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [_LINK_EXAMPLE]}]})

    items: list[LinkOut]


class CrossingIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"ask": 42, "link": 1}]})

    ask: int
    link: int


class CrossingOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_HAND_ON_EXAMPLE]})

    crossing: UUID
    ask: int | None
    link: int
    direction: str
    outcome: str
    created_at: datetime
    updated_at: datetime


class CrossingList(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [_HAND_ON_EXAMPLE]}]})

    items: list[CrossingOut]


class InboxOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"detail": "ask 42"}]})

    detail: str
