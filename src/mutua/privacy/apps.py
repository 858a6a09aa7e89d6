from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "mutua.privacy"
    label = "privacy"

    def ready(self) -> None:
        from mutua.aid import disclosure, extensions
        from mutua.privacy.selectors import is_blocked_pair, seen_by
        from mutua.privacy.services import record_move, reveal

        # aid's ask page and API ask this rule through aid.disclosure (aid is lower).
        disclosure.register(reveal)
        disclosure.register_history(seen_by)
        # and log there every hand-on of an ask to another group or server.
        disclosure.register_move(record_move)
        # aid's rules for taking an ask never match a blocked pair.
        extensions.register(pair=is_blocked_pair)
