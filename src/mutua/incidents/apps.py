from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class IncidentsConfig(AppConfig):
    """A group's response to a disaster: the area, its cases, the work groups take on them."""

    name = "mutua.incidents"
    label = "incidents"
    verbose_name = gettext_lazy("Incidents")

    def ready(self) -> None:
        # Governance decides on opening an incident; carrying it out is ours. aid lets
        # volunteers who joined take the incident's cases; privacy purges what cases hold; a
        # group's page says when an incident is under way.
        from mutua.aid import events as aid_events
        from mutua.aid import extensions as aid_extensions
        from mutua.governance.extensions import register_effect
        from mutua.governance.models import ProposalKind
        from mutua.groups import extensions as group_extensions
        from mutua.incidents import decisions, facts, policy, receivers
        from mutua.incidents.services import cases
        from mutua.privacy import erasure

        register_effect(
            ProposalKind.INCIDENT, decisions.carry_out, not_carried=decisions.not_carried
        )
        aid_extensions.register(guest=policy.guest_homes, guest_takers=policy.guest_takers)
        aid_events.ask_changed.register(receivers.on_ask_changed)
        erasure.on_ask_purged(cases.forget_ask)
        group_extensions.register(page=facts.page_facts)
