from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data in and out of mutua: CSV import and export, a group's place names from a file,
    outgoing webhooks."""

    name = "mutua.exchange"
    label = "exchange"

    def ready(self) -> None:
        from mutua.aid.events import ask_changed
        from mutua.exchange.receivers import on_ask_changed
        from mutua.exchange.services.places import add_by_decision
        from mutua.governance.extensions import register_effect
        from mutua.governance.models import ProposalKind

        ask_changed.register(on_ask_changed)
        # A member's file of place names is decided on by the group, then added here.
        register_effect(ProposalKind.PLACE_NAMES, add_by_decision)
