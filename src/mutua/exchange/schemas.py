"""Shapes of the webhooks API. They check shape only; rules live in exchange.services."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.core.schemas import SLUG_PATTERN, PageQuery

EventName = Literal["ask.created", "ask.claimed", "ask.done"]
ALL_EVENTS: tuple[EventName, ...] = ("ask.created", "ask.claimed", "ask.done")

_WEBHOOK_EXAMPLE: JsonDict = {
    "id": 5,
    "group": "hackney-central",
    "url": "https://sheets-bridge.example.org/mutua",
    "events": ["ask.created", "ask.claimed", "ask.done"],
    "description": "Copies new asks into our shared sheet",
    "created_at": "2025-03-01T09:30:00Z",
    "disabled_at": None,
}
_SECRET_EXAMPLE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # noqa: S105 (documentation)


class WebhookIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "group": "hackney-central",
                    "url": "https://sheets-bridge.example.org/mutua",
                    "events": ["ask.created", "ask.done"],
                    "description": "Copies new asks into our shared sheet",
                }
            ]
        }
    )

    group: str = Field(
        ..., max_length=80, pattern=SLUG_PATTERN, description="Slug of a group you are a member of"
    )
    url: str = Field(..., max_length=500, description="A public http(s) address to post to")
    events: list[EventName] = Field(
        default_factory=lambda: list(ALL_EVENTS),
        min_length=1,
        max_length=3,
        description="Which events to send; all three when left out",
    )
    description: str = Field("", max_length=200)


class WebhookOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_WEBHOOK_EXAMPLE]})

    id: int
    group: str
    url: str
    events: list[str]
    description: str
    created_at: datetime
    disabled_at: datetime | None = Field(
        None, description="When the receiver answered 410 Gone and sending stopped; else null"
    )


class WebhookCreatedOut(WebhookOut):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_WEBHOOK_EXAMPLE, "secret": _SECRET_EXAMPLE}]}
    )

    secret: str = Field(
        ...,
        description=(
            "Checks the webhook-signature of each delivery (Standard Webhooks, whsec_...). "
            "Shown only this once."
        ),
    )


class SecretRotatedOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"secret": _SECRET_EXAMPLE, "previous_valid_until": "2025-03-02T09:30:00Z"}
            ]
        }
    )

    secret: str = Field(..., description="The new secret. Shown only this once.")
    previous_valid_until: datetime = Field(
        ..., description="Until then deliveries are signed with the old secret as well"
    )


class WebhookPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_WEBHOOK_EXAMPLE], "next": None}]}
    )

    items: list[WebhookOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")


class WebhookQuery(PageQuery):
    group: str = Field(
        ..., max_length=80, pattern=SLUG_PATTERN, description="Slug of a group you are a member of"
    )


_DELIVERY_EXAMPLE: JsonDict = {
    "id": "0b8f3a52-3c4e-4a57-9a0e-6f1d2c3b4a59",
    "event": "ask.claimed",
    "status": "pending",
    "attempts": 2,
    "last_response_status": 503,
    "last_error": "",
    "next_attempt_at": "2025-03-01T09:36:00Z",
    "delivered_at": None,
    "created_at": "2025-03-01T09:30:00Z",
}


class DeliveryOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_DELIVERY_EXAMPLE]})

    id: UUID = Field(..., description="The X-Mutua-Delivery id, the same on every retry")
    event: str
    status: str = Field(..., description="pending, sending, delivered or failed (gave up)")
    attempts: int
    last_response_status: int | None
    last_error: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


class DeliveryPage(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_DELIVERY_EXAMPLE], "next": None}]}
    )

    items: list[DeliveryOut]
    next: str | None = Field(..., description="Cursor of the next page; null on the last")
