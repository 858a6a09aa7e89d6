"""A thread of the worker that queues every app's periodic jobs (core.periodic) when they
are due."""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, connections
from django_tasks_db import DatabaseBackend

from mutua.core.periodic import periodic_jobs
from mutua.notify import services
from mutua.notify.tasks import run_job

logger = logging.getLogger(__name__)

# How often to look at the clock; the shortest job interval is never missed by more.
MAX_TICK_SECONDS = 5.0


class Scheduler:
    """Queues each due job as a `run_job` task, for the worker it runs beside to run."""

    def __init__(self) -> None:
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.jobs = periodic_jobs()
        shortest = min(job.every().total_seconds() for job in self.jobs)
        self.tick = min(MAX_TICK_SECONDS, shortest)

    def start(self) -> None:
        if not isinstance(run_job.get_backend(), DatabaseBackend):
            # Another backend runs tasks at once, in the process that queues them: a worker
            # is not where they run, so it has nothing to schedule.
            return
        self._thread = threading.Thread(target=self._loop, name="mutua-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def run_once(self) -> list[str]:
        """Queue the jobs due now; returns their names."""
        due = services.claim_due_jobs(jobs=[(job.name, job.every()) for job in self.jobs])
        for name in due:
            run_job.enqueue(name)
        return due

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.run_once()
            except DatabaseError:
                # The database is away for a moment (restarting, locked): try at the next tick.
                logger.exception("The scheduler could not reach the database")
            finally:
                # This thread's own connections; the worker's are untouched.
                connections.close_all()
            self._stopping.wait(self.tick)
