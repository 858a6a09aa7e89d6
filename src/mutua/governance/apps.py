from __future__ import annotations

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "mutua.governance"
    label = "governance"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from mutua.governance import facts
        from mutua.governance.language import remember_group_language
        from mutua.groups import extensions

        user_logged_in.connect(
            remember_group_language,
            dispatch_uid="mutua.governance.language.remember_group_language",
        )
        extensions.register(page=facts.page_facts, api=facts.api_facts)
