"""Turn ask changes into webhook deliveries (connected in ExchangeConfig.ready)."""

from __future__ import annotations

from typing import Any

from mutua.exchange import services, tasks


def on_ask_changed(sender: Any, *, event_id: int, **kwargs: Any) -> None:
    for delivery in services.queue_ask_event(event_id=event_id):
        tasks.schedule(delivery)
