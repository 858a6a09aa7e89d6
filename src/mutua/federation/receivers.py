"""Federation's handlers for news from lower apps (registered in FederationConfig.ready)."""

from __future__ import annotations

from mutua.aid.events import AskChange
from mutua.federation import services
from mutua.governance.models import LogEntry, LogKind

_DECISIONS = {
    LogKind.PROPOSAL_PASSED: True,
    LogKind.PROPOSAL_NOT_PASSED: False,
    LogKind.PROPOSAL_WITHDRAWN: None,
}


def on_group_event(entry: LogEntry) -> None:
    """A group decided (or withdrew) a proposal: if it was to link with a server, that
    side of the link is now decided."""
    if entry.kind in _DECISIONS and entry.proposal_id is not None:
        services.decided(proposal_id=entry.proposal_id, passed=_DECISIONS[LogKind(entry.kind)])


def on_ask_changed(change: AskChange) -> None:
    """An ask changed: if it came from a linked server, tell that server."""
    services.report_outcome(ask_id=change.ask_id, kind=change.kind)
