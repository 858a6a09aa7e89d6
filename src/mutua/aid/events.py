"""News of asks for other apps (webhooks, notifications), sent only once it is committed.

A listener connects to `ask_changed` and gets `event_id`, `kind` (an AskEvent.Kind) and
`ask_id`. It runs after the transaction that made the change has committed, so it never
tells the world about something that was rolled back; a listener that fails is logged
and does not undo or break the change.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from mutua.aid.models import AskEvent

ask_changed = Signal()


def announce(event: AskEvent) -> None:
    """Send `ask_changed` for `event` when the current transaction commits."""
    event_id, kind, ask_id = event.pk, event.kind, event.ask_id
    transaction.on_commit(
        # send_robust: a broken listener is logged by Django and must not turn a saved
        # claim into an error page.
        lambda: ask_changed.send_robust(
            sender=AskEvent, event_id=event_id, kind=kind, ask_id=ask_id
        )
    )
