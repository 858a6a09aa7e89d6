"""Background tasks of notify (run by `mutua worker` or the worker inside `mutua serve`)."""

from __future__ import annotations

import logging

from django.utils.module_loading import import_string
from django_tasks import task

from mutua.notify import services
from mutua.notify.schedule import JOBS

logger = logging.getLogger(__name__)


@task()
def send_message(message_id: int) -> str:
    """Send one message from the outbox; returns its status. Running it again for a message
    already sent (or being sent by a live worker) sends nothing."""
    return services.deliver(message_id=message_id)


@task()
def run_job(name: str) -> str:
    """Run one periodic job of schedule.JOBS by name. Every job is safe to run twice."""
    job = next((j for j in JOBS if j.name == name), None)
    if job is None:
        # Queued by an older version that had this job: nothing to do.
        logger.warning("No periodic job is called %r", name)
        return "unknown"
    result = import_string(job.target)()
    logger.info("periodic job %s: %s", name, result)
    return str(result)
