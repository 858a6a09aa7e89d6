"""Background tasks for asks (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from mutua.aid import services as aid_services
from mutua.core.periodic import PeriodicJob


@task()
def expire_asks_task() -> int:
    """Close open asks past their expiry; returns how many. Running it twice is harmless."""
    return aid_services.expire_asks()


PERIODIC = (
    PeriodicJob("expire-asks", aid_services.expire_asks, lambda: timedelta(hours=1)),
    # Asks that waited longer than their group's hand_on_after_hours go to the next group;
    # every ten minutes, so a wait of hours is kept closely enough.
    PeriodicJob("hand-on-overdue", aid_services.pass_overdue, lambda: timedelta(minutes=10)),
    # Asks answering an offer that the member who offered did not answer in time go to
    # the board; as often as dispatch suggestions time out.
    PeriodicJob(
        "release-offered-asks", aid_services.release_offered_asks, lambda: timedelta(minutes=5)
    ),
)
