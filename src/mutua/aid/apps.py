from __future__ import annotations

from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "mutua.aid"
    label = "aid"
