from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """The last time a background worker proved it runs queued tasks (a periodic job
    writes it), so that /healthz can tell a silent worker from a quiet one."""

    name = models.CharField(max_length=60, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
