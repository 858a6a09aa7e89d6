"""Aggregate counts across a link: each server tells the other, every few hours, how the
group that made the link and the groups inside it are doing, in figures only (asks open,
taken and done; how long the oldest open ask has waited; how many groups need helpers).
No ask, place or person crosses this way; what crosses is what the network page shows to
anyone. The figures received are kept on the link and shown with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mutua.aid.network import network_figures
from mutua.core.errors import InvalidInput
from mutua.federation.models import Link
from mutua.federation.services.outbox import queue

FIGURES = ("open", "claimed", "done", "groups", "needing_helpers", "oldest_wait_hours")


def figures_of(link: Link, *, now: datetime) -> dict[str, int]:
    """What this side tells the other about the link's group and the groups inside it."""
    assert link.group is not None  # only links a group made are sent figures
    figures = network_figures(link.group, now=now)
    oldest = figures.longest_waiting[0].since if figures.longest_waiting else None
    return {
        **figures.totals,
        "groups": len(figures.groups),
        "needing_helpers": len(figures.needing_helpers),
        "oldest_wait_hours": int((now - oldest).total_seconds() // 3600) if oldest else 0,
    }


@transaction.atomic
def send_figures(*, now: datetime | None = None) -> int:
    """Queue the figures to every active link's server; returns how many were queued."""
    now = now or timezone.now()
    sent = 0
    for link in Link.objects.filter(group__isnull=False).select_related("group"):
        if link.is_active:
            queue(link=link, kind="figures", payload={"figures": figures_of(link, now=now)})
            sent += 1
    return sent


def receive_figures(*, link: Link, message: dict[str, Any], now: datetime) -> str:
    """Keep the figures the other server sent: whole numbers of the known kinds only."""
    given = message.get("figures")
    if not isinstance(given, dict):
        raise InvalidInput("figures missing")
    kept: dict[str, int] = {}
    for name in FIGURES:
        value = given.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10**9:
            raise InvalidInput(f"figure {name} is not a whole number")
        kept[name] = value
    link.their_figures, link.figures_at = kept, now
    link.save(update_fields=["their_figures", "figures_at", "updated_at"])
    return "figures kept"
