"""The shape of a conversation in the API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.relay.models import MAX_BODY

_MESSAGE_EXAMPLE: JsonDict = {
    "id": 7,
    "side": "helper",
    "author": "Sam",
    "body": "On my way, there in ten minutes. Call me on [contact removed]",
    "via": "page",
    "at": "2026-12-06T18:02:11Z",
}


class MessageIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"body": "On my way"}]})

    body: str = Field(..., description="What to say; contact details are taken out.")


class MessageOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_MESSAGE_EXAMPLE]})

    id: int
    side: str = Field(..., description="asker, helper or dispatcher")
    author: str | None = Field(None, description="The helper's or dispatcher's display name")
    body: str
    via: str = Field(..., description="page, api, sms or email")
    at: datetime


class ConversationOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ask": 12,
                    "claim": 31,
                    "side": "asker",
                    "open": True,
                    "sms_reference": "#A12",
                    "max_length": MAX_BODY,
                    "items": [_MESSAGE_EXAMPLE],
                }
            ]
        }
    )

    ask: int
    claim: int | None = Field(None, description="The claim the conversation belongs to")
    side: str = Field(..., description="The side you read and write as")
    open: bool = Field(..., description="Whether messages can still be written")
    sms_reference: str = Field(..., description="Start a text with this to write by SMS")
    max_length: int = MAX_BODY
    items: list[MessageOut]
