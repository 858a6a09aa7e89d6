"""Background tasks for asks (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

from django_tasks import task

from mutua.aid import services as aid_services


@task()
def expire_asks_task() -> int:
    """Close open asks past their expiry; returns how many. Running it twice is harmless."""
    return aid_services.expire_asks()
