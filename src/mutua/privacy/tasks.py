"""Background tasks for privacy (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from mutua.core.periodic import PeriodicJob
from mutua.privacy import services


@task()
def purge_personal_data_task() -> int:
    """Erase personal fields of asks past retention; returns how many asks were erased."""
    return services.purge_personal_data().asks


PERIODIC = (PeriodicJob("privacy-purge", services.purge_personal_data, lambda: timedelta(hours=6)),)
