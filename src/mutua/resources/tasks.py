"""The periodic jobs of shared resources (run by the worker: `mutua worker` or the one
inside `mutua serve`)."""

from __future__ import annotations

from datetime import timedelta

from mutua.core.periodic import PeriodicJob
from mutua.resources.services import callouts, gatherings, shifts, things

PERIODIC = (
    # A reminder a day ahead; checked every 15 minutes, and each sign-up is reminded once.
    PeriodicJob("remind-shifts", shifts.remind_upcoming, lambda: timedelta(minutes=15)),
    # A callout closes by itself once its event is over.
    PeriodicJob("close-callouts", callouts.close_finished, lambda: timedelta(minutes=5)),
    # A borrowed thing due back tomorrow (or late): its borrower is reminded, once.
    PeriodicJob("remind-loans", things.remind_due, lambda: timedelta(hours=1)),
    # Members going to a gathering are reminded a day ahead, once.
    PeriodicJob("remind-gatherings", gatherings.remind_upcoming, lambda: timedelta(minutes=15)),
)
