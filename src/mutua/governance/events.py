"""News of a group's decisions for other apps: `group_event` is called with each entry of
the group's log (a LogEntry, with its actor, subject, proposal, term and agreement
version loaded) once the transaction that recorded it has committed: a proposal opened, a
removal proposed (tell its subject), a deadline near, a second round, an outcome, a role
granted, revoked or ended, a setting changed, an agreement adopted.

Higher apps (notify) register a handler in their AppConfig.ready() (mutua.core.hooks).
"""

from __future__ import annotations

from mutua.core.hooks import Hook
from mutua.governance.models import LogEntry

group_event: Hook[LogEntry] = Hook("governance.group_event")
