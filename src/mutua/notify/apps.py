from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Outbound messages, the inbound SMS webhook, phone intake and the worker's schedule."""

    name = "mutua.notify"
    label = "notify"

    def ready(self) -> None:
        from mutua.aid.events import ask_changed
        from mutua.governance.signals import group_event
        from mutua.notify.receivers import on_ask_changed, on_group_event

        ask_changed.connect(on_ask_changed, dispatch_uid="mutua.notify.ask_changed")
        group_event.connect(on_group_event, dispatch_uid="mutua.notify.group_event")
