from __future__ import annotations

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mutua.matching"
    label = "matching"

    def ready(self) -> None:
        from mutua.aid.events import ask_changed
        from mutua.governance import extensions
        from mutua.governance.models import ProposalKind
        from mutua.matching import decisions
        from mutua.matching.receivers import on_ask_changed

        # An ask answering an offer is suggested first to the member who offered.
        ask_changed.register(on_ask_changed)

        extensions.register_effect(
            ProposalKind.DISPATCH_ROUNDS, decisions.carry_out, clean=decisions.clean_every
        )
