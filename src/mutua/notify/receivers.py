"""Turn ask changes and group decisions into messages (connected in NotifyConfig.ready)."""

from __future__ import annotations

from typing import Any

from mutua.governance.models import LogEntry
from mutua.notify import services


def on_ask_changed(sender: Any, *, event_id: int, **kwargs: Any) -> None:
    services.notify_ask_event(event_id=event_id)


def on_group_event(sender: Any, *, entry: LogEntry, **kwargs: Any) -> None:
    services.notify_group_event(entry=entry)
