"""News of asks for other apps (webhooks, notifications), sent only once it is committed.

Every state change of an ask is announced, each with its AskEvent: created, claimed,
released, done, cancelled and expired, and the asker's yes or no to a helper (approved,
declined); the services in aid.services call `announce` for each. Handlers pick the
kinds they care about: notify tells people of created, claimed, done and cancelled;
webhooks send created, claimed and done.

A higher app registers a handler with `ask_changed` in its AppConfig.ready(); the handler
gets an AskChange. It runs after the transaction that made the change has committed, so
it never tells the world about something that was rolled back; a handler that fails is
logged and does not undo or break the change (mutua.core.hooks).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from mutua.aid.models import AskEvent
from mutua.core.hooks import Hook


@dataclass(frozen=True)
class AskChange:
    event_id: int
    kind: str  # an AskEvent.Kind
    ask_id: int


ask_changed: Hook[AskChange] = Hook("aid.ask_changed")


def announce(event: AskEvent) -> None:
    """Call `ask_changed` for `event` when the current transaction commits."""
    if ask_changed.is_muted():
        return
    change = AskChange(event_id=event.pk, kind=event.kind, ask_id=event.ask_id)
    transaction.on_commit(lambda: ask_changed.call(change))
