"""Background work of dispatch (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

from datetime import timedelta

from mutua.core.periodic import PeriodicJob
from mutua.matching import services

PERIODIC = (
    # Suggestions nobody answered in time go back to the pool.
    PeriodicJob("expire-proposals", services.expire_suggestions, lambda: timedelta(minutes=5)),
    # The automatic rounds groups decided on; each group's own interval is in its schedule.
    PeriodicJob("dispatch-rounds", services.run_due_rounds, lambda: timedelta(minutes=1)),
)
