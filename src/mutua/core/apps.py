from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mutua.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from mutua.core.language import on_login

        user_logged_in.connect(on_login, dispatch_uid="mutua.core.language.on_login")
