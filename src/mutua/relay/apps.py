from __future__ import annotations

from django.apps import AppConfig


class RelayConfig(AppConfig):
    """Conversations between the person who asked and their helper, one per claim."""

    name = "mutua.relay"
    label = "relay"

    def ready(self) -> None:
        from mutua.privacy import erasure
        from mutua.relay.services import forget_ask, forget_person

        # A conversation quotes the ask and its people: it goes with the ask's personal
        # details, and a person's own messages go with their account.
        erasure.on_ask_purged(forget_ask)
        erasure.on_person_erased(forget_person)
