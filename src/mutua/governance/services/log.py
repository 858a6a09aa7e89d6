"""The group log's notification hook: every committed log entry is announced to
`events.group_event`, where notifications plug in.
"""

from __future__ import annotations

from mutua.governance.events import group_event
from mutua.governance.models import LogEntry


def announce(*, entry_id: int) -> None:
    """Call `events.group_event` with a committed log entry: the hook where notifications
    (email, SMS, ...) plug in. A failing handler is logged and never undoes the decision."""
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
    group_event.call(entry)
