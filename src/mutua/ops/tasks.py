"""Periodic jobs of ops (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from mutua.core.periodic import PeriodicJob
from mutua.ops.services import backups, health


def _backup_every() -> timedelta:
    # Switched off (0): looked at hourly, so that switching it on needs no restart.
    return timedelta(hours=settings.MUTUA_BACKUP_EVERY_HOURS or 1)


PERIODIC = (
    # Run as a queued task, it proves to /healthz that a worker takes tasks from the queue.
    PeriodicJob("ops-heartbeat", health.beat, lambda: timedelta(seconds=30)),
    PeriodicJob("ops-backup", backups.scheduled_backup, _backup_every),
)
