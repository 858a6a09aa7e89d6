from __future__ import annotations

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mutua.matching"
    label = "matching"

    def ready(self) -> None:
        from mutua.governance import extensions
        from mutua.governance.models import ProposalKind
        from mutua.matching import decisions

        extensions.register_effect(
            ProposalKind.DISPATCH_ROUNDS, decisions.carry_out, clean=decisions.clean_every
        )
