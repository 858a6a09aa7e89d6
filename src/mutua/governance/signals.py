"""The hook for notifications: connect a receiver to hear of every entry in a group's log.

`group_event` is sent with `entry` (a LogEntry, with its actor, subject, proposal, term
and agreement version loaded) once the transaction that recorded it has committed: a
proposal opened, a removal proposed (tell its subject), a deadline near, a second round,
an outcome, a role granted, revoked or ended, a setting changed, an agreement adopted.
"""

from __future__ import annotations

from django.dispatch import Signal

group_event = Signal()
