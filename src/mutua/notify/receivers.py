"""Turn ask changes into messages (connected in NotifyConfig.ready)."""

from __future__ import annotations

from typing import Any

from mutua.notify import services


def on_ask_changed(sender: Any, *, event_id: int, **kwargs: Any) -> None:
    services.notify_ask_event(event_id=event_id)
