"""News of a relayed message, for the app that delivers it (notify), after commit."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from mutua.core.hooks import Hook


@dataclass(frozen=True)
class Posted:
    message_id: int


message_posted: Hook[Posted] = Hook("relay.message_posted")


def announce(message_id: int) -> None:
    """Call `message_posted` once the current transaction commits."""
    transaction.on_commit(lambda: message_posted.call(Posted(message_id=message_id)))
