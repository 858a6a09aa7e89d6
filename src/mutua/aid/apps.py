from __future__ import annotations

from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "mutua.aid"
    label = "aid"

    def ready(self) -> None:
        from mutua.aid.models import Category
        from mutua.governance.models import CATEGORY_CHOICES

        # Governance, below aid, checks the categories a group makes stricter against these.
        CATEGORY_CHOICES[:] = Category.choices
