"""Turn ask changes, group decisions and resource changes into messages (registered in
NotifyConfig.ready)."""

from __future__ import annotations

from mutua.aid.events import AskChange
from mutua.governance.models import LogEntry
from mutua.notify import services
from mutua.notify.services.resources import notify_resource_event
from mutua.relay.events import Posted
from mutua.resources.events import ResourceChange


def on_relay_posted(posted: Posted) -> None:
    services.relay_message(message_id=posted.message_id)


def on_ask_changed(change: AskChange) -> None:
    services.notify_ask_event(event_id=change.event_id)


def on_group_event(entry: LogEntry) -> None:
    services.notify_group_event(entry=entry)


def on_resource_changed(change: ResourceChange) -> None:
    notify_resource_event(change=change)
