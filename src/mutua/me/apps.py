from __future__ import annotations

from django.apps import AppConfig


class MeConfig(AppConfig):
    """The member's own page. It shows what several apps hold about the member (asks,
    claims, offers, groups, dispatch suggestions), so it sits above all of them."""

    name = "mutua.me"
    label = "me"
