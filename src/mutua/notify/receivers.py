"""Turn ask changes and group decisions into messages (registered in NotifyConfig.ready)."""

from __future__ import annotations

from mutua.aid.events import AskChange
from mutua.governance.models import LogEntry
from mutua.notify import services
from mutua.relay.events import Posted


def on_relay_posted(posted: Posted) -> None:
    services.relay_message(message_id=posted.message_id)


def on_ask_changed(change: AskChange) -> None:
    services.notify_ask_event(event_id=change.event_id)


def on_group_event(entry: LogEntry) -> None:
    services.notify_group_event(entry=entry)
