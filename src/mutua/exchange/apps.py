from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data in and out of mutua: CSV import and export, outgoing webhooks."""

    name = "mutua.exchange"
    label = "exchange"

    def ready(self) -> None:
        from mutua.aid.events import ask_changed
        from mutua.exchange.receivers import on_ask_changed

        ask_changed.register(on_ask_changed)
