from __future__ import annotations

from django.apps import AppConfig


class FederationConfig(AppConfig):
    """Links between independent mutua servers: keys, agreed links, handed-on asks."""

    name = "mutua.federation"
    label = "federation"

    def ready(self) -> None:
        from mutua.aid.events import ask_changed
        from mutua.federation import facts
        from mutua.federation.receivers import on_ask_changed, on_group_event
        from mutua.federation.services.erasure import forget_ask
        from mutua.governance.events import group_event
        from mutua.groups import extensions
        from mutua.privacy import erasure

        group_event.register(on_group_event)
        ask_changed.register(on_ask_changed)
        erasure.on_ask_purged(forget_ask)
        extensions.register(page=facts.page_facts)
