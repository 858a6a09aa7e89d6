from __future__ import annotations

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "mutua.outreach"
    label = "outreach"
