"""The tables of shared resources. Every table carries the group id, so a sharded
database keeps a group's rows together."""

from __future__ import annotations

from mutua.resources.models.ledger import (
    Account,
    Entry,
    Ledger,
    MoneyAsk,
    MoneyAskStatus,
    Transfer,
    TransferKind,
)

__all__ = [
    "Account",
    "Entry",
    "Ledger",
    "MoneyAsk",
    "MoneyAskStatus",
    "Transfer",
    "TransferKind",
]
