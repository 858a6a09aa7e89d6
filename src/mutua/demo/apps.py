from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mutua.demo"
    label = "demo"

    def ready(self) -> None:
        from mutua.core.serving import serving
        from mutua.demo.login import say_when_serving

        serving.register(say_when_serving)
