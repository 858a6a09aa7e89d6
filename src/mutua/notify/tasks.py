"""Background tasks of notify (run by `mutua worker` or the worker inside `mutua serve`):
sending the outbox, and running any app's periodic job by name."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django_tasks import task

from mutua.core.periodic import PeriodicJob, periodic_jobs
from mutua.notify import services

logger = logging.getLogger(__name__)


def _sweep() -> timedelta:
    return timedelta(seconds=settings.MUTUA_NOTIFY_SWEEP_SECONDS)


PERIODIC = (
    # Retries, and messages whose worker died mid-send.
    PeriodicJob("notify-outbox", services.deliver_due, _sweep),
    PeriodicJob("notify-proposals", services.notify_new_suggestions, _sweep),
    PeriodicJob("notify-digests", services.send_digests, lambda: timedelta(minutes=10)),
    PeriodicJob("notify-purge", services.purge_old_messages, lambda: timedelta(hours=1)),
)


@task()
def send_message(message_id: int) -> str:
    """Send one message from the outbox; returns its status. Running it again for a message
    already sent (or being sent by a live worker) sends nothing."""
    return services.deliver(message_id=message_id)


@task()
def run_job(name: str) -> str:
    """Run one periodic job (of any app, see core.periodic) by name. Every job is safe to
    run twice."""
    job = next((j for j in periodic_jobs() if j.name == name), None)
    if job is None:
        # Queued by an older version that had this job: nothing to do.
        logger.warning("No periodic job is called %r", name)
        return "unknown"
    result = job.run()
    logger.info("periodic job %s: %s", name, result)
    return str(result)
