"""The group log's notification hook: every committed log entry is announced to
`signals.group_event`, where notifications plug in.
"""

from __future__ import annotations

import logging

from mutua.governance.models import LogEntry
from mutua.governance.signals import group_event

# The name the logger had before services became a package, so logging settings still match.
logger = logging.getLogger("mutua.governance.services")


def announce(*, entry_id: int) -> None:
    """Send `signals.group_event` for a committed log entry: the hook where notifications
    (email, SMS, ...) plug in. A failing receiver is logged and never undoes the decision."""
    entry = (
        LogEntry.objects.select_related(
            "group",
            "actor__profile",
            "subject__profile",
            "proposal",
            "term",
            "agreement_version",
        )
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        return
    for receiver, result in group_event.send_robust(sender=LogEntry, entry=entry):
        if isinstance(result, Exception):
            logger.error("group_event receiver %r failed: %s", receiver, result)
