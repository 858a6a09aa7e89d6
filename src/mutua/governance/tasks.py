"""Background tasks for governance (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from mutua.core.periodic import PeriodicJob
from mutua.governance import services


@task()
def run_due_task() -> dict[str, int]:
    """The deadline pass: decide proposals at their deadline, remind of deadlines near,
    end roles whose term is over. Queued for each deadline and term end; running it
    twice, or early, changes nothing more."""
    return services.run_due().as_dict()


PERIODIC = (
    # A backstop: the deadline pass is also queued for the moment each deadline is due.
    PeriodicJob("governance-deadlines", services.run_due, lambda: timedelta(minutes=15)),
)
