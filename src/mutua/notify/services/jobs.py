"""Claiming the worker's periodic jobs, so that of several workers each due job goes to one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from mutua.notify.models import ScheduledJob


def claim_due_jobs(
    *, jobs: Sequence[tuple[str, timedelta]], now: datetime | None = None
) -> list[str]:
    """The names of the jobs due now, each moved on to its next time. Of several workers
    asking at once, each due job goes to one."""
    now = now or timezone.now()
    due = []
    for name, every in jobs:
        ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
        if ScheduledJob.objects.filter(name=name, next_run_at__lte=now).update(
            next_run_at=now + every, last_started_at=now
        ):
            due.append(name)
    return due
