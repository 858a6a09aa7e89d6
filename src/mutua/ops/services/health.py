"""The worker's heartbeat: written by a periodic job, read by /healthz and /metrics."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from mutua.ops.models import Heartbeat

WORKER = "worker"


def beat(*, now: datetime | None = None) -> str:
    """Record that a worker is running queued tasks now. Run as a queued task itself, so a
    worker that still lives but no longer takes tasks from the queue stops beating."""
    seen = now or timezone.now()
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"seen_at": seen})
    return seen.isoformat(timespec="seconds")
