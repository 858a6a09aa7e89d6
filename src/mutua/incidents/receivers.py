"""Handlers of lower apps' hooks, registered in IncidentsConfig.ready()."""

from __future__ import annotations

from mutua.aid.events import AskChange
from mutua.aid.models import AskEvent
from mutua.incidents.services import cases


def on_ask_changed(change: AskChange) -> None:
    """A new ask inside an open incident's area becomes one of its cases at once (the
    worker's sweep catches any this misses)."""
    if change.kind == AskEvent.Kind.CREATED:
        cases.file_new_ask(ask_id=change.ask_id)
