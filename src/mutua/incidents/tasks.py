"""Incidents' periodic job (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

from datetime import timedelta

from mutua.core.periodic import PeriodicJob
from mutua.incidents.services import cases

PERIODIC = (
    # Cases the new-ask handler missed (it runs after commit and may fail quietly).
    PeriodicJob("incident-cases", cases.gather_open_incidents, lambda: timedelta(minutes=5)),
)
