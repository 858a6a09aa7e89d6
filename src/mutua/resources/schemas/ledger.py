"""The shapes of the ledger and money asks API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic.config import JsonDict

from mutua.resources.schemas._examples import examples as _examples
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
