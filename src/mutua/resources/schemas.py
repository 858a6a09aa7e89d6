"""The shapes of the resources API: input checked for shape only, services do the rest."""

from __future__ import annotations

from datetime import date, datetime, time

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic.config import JsonDict

from mutua.resources.services.ledger import RECORDABLE

_TRANSFER: JsonDict = {
    "id": 12,
    "kind": "purchase",
    "amount": 1250,
    "funds_change": -1250,
    "memo": "Nappies and formula",
    "category": "baby",
    "recorded_at": "2025-03-01T10:00:00Z",
    "recorded_by": "Tess",
    "proposal": None,
    "reverses": None,
    "reversed_by": None,
    "receipt": True,
}
_MONEY_ASK: JsonDict = {
    "id": 3,
    "pseudonym": "M-7K2QXA",
    "amount": 4000,
    "status": "waiting",
    "created_at": "2025-03-01T10:00:00Z",
    "proposal": None,
    "asker": None,
    "reason": None,
}


def _examples(*examples: JsonDict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class TransferIn(Schema):
    model_config = _examples({"kind": "donation", "amount": 5000, "memo": "Street collection"})

    kind: str = Field(
        ..., description="One of: " + ", ".join(k.value for k in RECORDABLE), max_length=12
    )
    amount: int = Field(..., description="In the currency's smallest unit (pence, cents)")
    memo: str = Field(..., max_length=200, description="What it was for; every member reads it")
    category: str = Field("", max_length=60)


class TransferOut(Schema):
    model_config = _examples(_TRANSFER)

    id: int
    kind: str
    amount: int = Field(..., description="Positive, in the currency's smallest unit")
    funds_change: int = Field(..., description="What it did to the funds: + in, - out")
    memo: str
    category: str
    recorded_at: datetime
    recorded_by: str | None = Field(None, description="Display name; null for a decision")
    proposal: int | None = Field(None, description="The decision that paid it, if one did")
    reverses: int | None = None
    reversed_by: int | None = None
    receipt: bool


class LedgerOut(Schema):
    model_config = _examples(
        {"currency": "GBP", "balance": 38750, "items": [_TRANSFER], "next": None}
    )

    currency: str
    balance: int = Field(..., description="The group's funds, in the smallest unit")
    items: list[TransferOut]
    next: str | None


class MoneyAskIn(Schema):
    model_config = _examples({"amount": 4000, "reason": "The electricity key is empty"})

    amount: int = Field(..., description="In the currency's smallest unit")
    reason: str = Field("", max_length=2000, description="Only the treasurer sees it")


class MoneyAskOut(Schema):
    model_config = _examples(_MONEY_ASK)

    id: int
    pseudonym: str = Field(..., description="What every member sees in place of a name")
    amount: int
    status: str
    created_at: datetime
    proposal: int | None
    asker: str | None = Field(None, description="Only for the asker and the treasurer")
    reason: str | None = Field(None, description="Only for the asker and the treasurer")


class MoneyAskList(Schema):
    model_config = _examples({"items": [_MONEY_ASK]})

    items: list[MoneyAskOut]


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
