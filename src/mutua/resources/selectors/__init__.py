"""Reads of shared resources, one module per subdomain (`selectors.shifts`); the ledger's
are re-exported here."""

from __future__ import annotations

from mutua.resources.selectors.ledger import (
    LEDGER_COLUMNS,
    Funds,
    MoneyAskView,
    funds,
    ledger_rows,
    money_asks,
    require_member,
    sum_of_funds_entries,
    transfer_for_receipt,
    transfers,
)

__all__ = [
    "LEDGER_COLUMNS",
    "Funds",
    "MoneyAskView",
    "funds",
    "ledger_rows",
    "money_asks",
    "require_member",
    "sum_of_funds_entries",
    "transfer_for_receipt",
    "transfers",
]
