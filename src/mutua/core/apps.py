from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mutua.core"
    label = "core"
