"""The shapes of "I could use this": an ask answering an offer."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool

from mutua.aid.schemas import _AREA_EXAMPLE, AreaOut, AskPlaceIn, ContactIn


class AnswerIn(Schema):
    """ "I could use this": an ask answering an offer, of the offer's kind of help."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "what": "Could you shop for me on Saturday? Bread and milk.",
                    "place": {"text": "Dalston"},
                    "contact": {"phone": "+44 20 7946 0000"},
                    "consent": True,
                }
            ]
        }
    )

    what: str = Field(..., max_length=2000, description="What you would use it for")
    place: AskPlaceIn = Field(..., description='{"lat", "lon"}, or {"text": "Dalston"}')
    contact: ContactIn = Field(
        default_factory=lambda: ContactIn(name="", phone="", email="", address="")
    )
    language: str = Field("en", max_length=12, description="Language code, e.g. en, bn, pt-BR")
    urgency: Annotated[int, Field(strict=True, ge=1, le=3)] = Field(
        2, description="1 (when someone can), 2 (in the next few days), 3 (today)"
    )
    consent: StrictBool = Field(..., description="You agree to your details being kept: JSON true")


class AnswerOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 43,
                    "status": "open",
                    "area": _AREA_EXAMPLE,
                    "group": "hackney-central",
                    "offered_first": True,
                    "url": "https://aid.example.org/asks/43/",
                }
            ]
        }
    )

    id: int = Field(..., description="The ask's number")
    status: str
    area: AreaOut
    group: str | None = Field(None, description="Slug of the group it was routed to")
    offered_first: bool = Field(
        ...,
        description="Whether it is offered first to the member who offered (else it is on "
        "the board at once: they may not take asks of that group)",
    )
    url: str
