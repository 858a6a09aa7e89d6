"""The tables of shared resources. Every table carries the group id, so a sharded
database keeps a group's rows together."""

from __future__ import annotations

from mutua.resources.models.callouts import Answer, AnsweredVia, Callout, CalloutAnswer
from mutua.resources.models.gatherings import Gathering, Rsvp
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
from mutua.resources.models.stock import (
    MOVEMENTS_IN,
    Hub,
    MovementKind,
    StockItem,
    StockMovement,
)
from mutua.resources.models.things import Loan, Thing

__all__ = [
    "MOVEMENTS_IN",
    "Account",
    "Answer",
    "AnsweredVia",
    "CalendarFeed",
    "Callout",
    "CalloutAnswer",
    "Entry",
    "Gathering",
    "Hub",
    "Ledger",
    "Loan",
    "MoneyAsk",
    "MoneyAskStatus",
    "MovementKind",
    "Rsvp",
    "Shift",
    "ShiftSignup",
    "StockItem",
    "StockMovement",
    "Thing",
    "Transfer",
    "TransferKind",
]
