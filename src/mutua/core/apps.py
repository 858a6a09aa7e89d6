from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mutua.core"
    label = "core"

    def ready(self) -> None:
        from mutua.core.outbound import install_guard

        install_guard()
