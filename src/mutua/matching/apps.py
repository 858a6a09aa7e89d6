from __future__ import annotations

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mutua.matching"
    label = "matching"

    def ready(self) -> None:
        from mutua.governance import external
        from mutua.governance.models import ProposalKind
        from mutua.matching import decisions

        external.register(ProposalKind.DISPATCH_ROUNDS, decisions.DISPATCH_ROUNDS)
