"""The tables of shared resources. Every table carries the group id, so a sharded
database keeps a group's rows together."""

from __future__ import annotations

from mutua.resources.models.callouts import Answer, AnsweredVia, Callout, CalloutAnswer
from mutua.resources.models.ledger import (
    Account,
    Entry,
    Ledger,
    MoneyAsk,
    MoneyAskStatus,
    Transfer,
    TransferKind,
)
from mutua.resources.models.shifts import CalendarFeed, Shift, ShiftSignup

__all__ = [
    "Account",
    "Answer",
    "AnsweredVia",
    "CalendarFeed",
    "Callout",
    "CalloutAnswer",
    "Entry",
    "Ledger",
    "MoneyAsk",
    "MoneyAskStatus",
    "Shift",
    "ShiftSignup",
    "Transfer",
    "TransferKind",
]
