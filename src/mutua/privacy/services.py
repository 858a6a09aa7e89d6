"""Writes for privacy: the access log of every reveal of private details."""

from __future__ import annotations

from mutua.aid.models import Ask
from mutua.people.models import User
from mutua.privacy.models import AccessLog


def log_reveal(*, ask: Ask, viewer: User | None, reason: str, channel: str) -> AccessLog:
    """Record that `viewer` was shown the ask's exact place and contact."""
    return AccessLog.objects.create(
        ask=ask,
        viewer=viewer if viewer is not None and viewer.is_authenticated else None,
        reason=reason,
        channel=channel,
    )
