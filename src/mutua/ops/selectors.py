"""Reads for /healthz and /metrics: the worker's heartbeat, the queue, the disk."""

from __future__ import annotations

import shutil
from datetime import datetime

from django.conf import settings
from django.db.models import Min
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from mutua.ops.models import Heartbeat
from mutua.ops.services.health import WORKER


def uses_worker() -> bool:
    """Whether tasks wait in the database for a worker (rather than running at once)."""
    return isinstance(task_backends["default"], DatabaseBackend)


def last_heartbeat() -> datetime | None:
    return Heartbeat.objects.filter(name=WORKER).values_list("seen_at", flat=True).first()


def queue_depth() -> int:
    """Tasks waiting for a worker, due now or later."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


def oldest_waiting_since() -> datetime | None:
    """When the task that has waited longest for a worker, among those due, was queued."""
    oldest: datetime | None = DBTaskResult.objects.ready().aggregate(at=Min("enqueued_at"))["at"]
    return oldest


def free_disk_bytes() -> int:
    """Free space where mutua keeps its files (the SQLite database among them)."""
    return shutil.disk_usage(settings.DATA_DIR).free
