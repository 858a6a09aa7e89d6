"""The rota's periodic jobs (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

from datetime import timedelta

from mutua.checkins import services
from mutua.core.periodic import PeriodicJob

PERIODIC = (
    # Each week's calls are assigned early in the week; a later run adds only newcomers.
    PeriodicJob("checkins-assign", services.assign_this_week, lambda: timedelta(hours=6)),
    PeriodicJob("checkins-escalate", services.escalate_missed, lambda: timedelta(hours=1)),
)
