"""Entries of a group's history written for other apps (exchange's webhooks, a missed
check-in, an ask passed on to the group by aid, a callout closed early), so that what
changes how the group's data leaves it, or what it must now look after, is seen by every
member."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mutua.governance.models import LogEntry, LogKind, Proposal
from mutua.governance.services._common import _log
from mutua.groups.models import Group
from mutua.people.models import User

# The kinds other apps may record; decisions and roles are written only by governance.
_RECORDABLE = frozenset(
    {
        LogKind.WEBHOOK_ADDED,
        LogKind.WEBHOOK_REMOVED,
        LogKind.WEBHOOK_DISABLED,
        LogKind.CHECKIN_MISSED,
        LogKind.PLACE_NAMES_ADDED,
        LogKind.ASK_PASSED_IN,
        LogKind.INCIDENT_OPENED,
        LogKind.INCIDENT_CLOSED,
        LogKind.INCIDENT_JOINED,
        LogKind.WORK_CLAIMED,
        LogKind.CALLOUT_CLOSED,
    }
)


@transaction.atomic
def record_in_history(
    *,
    group: Group,
    kind: LogKind,
    actor: User | None = None,
    detail: str = "",
    proposal: Proposal | None = None,
) -> LogEntry:
    """Add a line to the group's history, announced like every other once committed.
    `proposal` is the decision that did it, when one did (an effect another app carries
    out)."""
    if kind not in _RECORDABLE:
        raise ValueError(f"{kind} is written by governance itself")
    return _log(group, kind, at=timezone.now(), actor=actor, detail=detail[:200], proposal=proposal)
