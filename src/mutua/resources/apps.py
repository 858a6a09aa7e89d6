from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ResourcesConfig(AppConfig):
    name = "mutua.resources"
    label = "resources"
    verbose_name = gettext_lazy("Shared resources")

    def ready(self) -> None:
        # Governance decides payments; this app carries them out (the ledger is ours).
        # Privacy erases people; the reasons they gave for money asks are ours to wipe.
        from mutua.governance.extensions import register_effect
        from mutua.governance.models import ProposalKind
        from mutua.privacy import erasure
        from mutua.resources.services import gatherings, money_asks, shifts, things

        register_effect(ProposalKind.SPEND, money_asks.pay_by_decision)
        erasure.on_person_erased(money_asks.forget_person)
        erasure.on_person_erased(shifts.forget_person)
        erasure.on_person_erased(things.forget_person)
        erasure.on_person_erased(gatherings.forget_person)
