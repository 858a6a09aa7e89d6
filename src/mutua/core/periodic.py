"""The worker's periodic jobs, declared by each app and collected here.

An app lists its jobs as `PERIODIC` in its own `tasks` module: each a plain function that
is safe to run twice or late, and how often. The worker's scheduler (notify.scheduler)
asks `periodic_jobs()` for all of them, found over the installed apps, so no app imports
another to be scheduled. A job's next time is kept in the database (notify's
ScheduledJob), so a restarted worker neither skips a due job nor runs it early, and of
several workers one runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

TASKS_MODULE = "tasks"


@dataclass(frozen=True)
class PeriodicJob:
    """One job: its name (unique across apps, kept in the database), the function to run,
    and how often (read when the schedule is read, so settings apply)."""

    name: str
    run: Callable[[], object]
    every: Callable[[], timedelta]


def periodic_jobs() -> tuple[PeriodicJob, ...]:
    """Every installed app's periodic jobs, app by app in INSTALLED_APPS order."""
    jobs: list[PeriodicJob] = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, TASKS_MODULE):
            continue
        module = import_module(f"{config.name}.{TASKS_MODULE}")
        jobs.extend(getattr(module, "PERIODIC", ()))
    names = [job.name for job in jobs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        # Two apps sharing a name would share one next-run time: one would never run.
        raise ImproperlyConfigured(f"Periodic jobs declared twice: {', '.join(twice)}")
    return tuple(jobs)
