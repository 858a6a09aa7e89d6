"""Turn ask changes into webhook deliveries (registered in ExchangeConfig.ready)."""

from __future__ import annotations

from mutua.aid.events import AskChange
from mutua.exchange import services, tasks


def on_ask_changed(change: AskChange) -> None:
    for delivery in services.queue_ask_event(event_id=change.event_id):
        tasks.schedule(delivery)
