from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Outbound messages, the inbound SMS webhook, phone intake and the worker's schedule."""

    name = "mutua.notify"
    label = "notify"

    def ready(self) -> None:
        from mutua.aid import extensions
        from mutua.aid.events import ask_changed
        from mutua.governance.events import group_event
        from mutua.notify.receivers import (
            on_ask_changed,
            on_group_event,
            on_relay_posted,
            on_resource_changed,
        )
        from mutua.notify.selectors import has_linked_phone
        from mutua.notify.services.erasure import forget_ask, forget_person
        from mutua.privacy import erasure
        from mutua.relay.events import message_posted
        from mutua.resources.events import resource_changed

        ask_changed.register(on_ask_changed)
        group_event.register(on_group_event)
        message_posted.register(on_relay_posted)
        resource_changed.register(on_resource_changed)
        erasure.on_ask_purged(forget_ask)
        erasure.on_person_erased(forget_person)
        # A phone linked by texting its code counts as a proven way to reach a member.
        extensions.register(contact=has_linked_phone)
