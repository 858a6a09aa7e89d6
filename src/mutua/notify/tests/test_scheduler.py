"""The worker's schedule: every app's periodic jobs are collected, each is claimed once per
period, and every one runs."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from mutua.core.periodic import PeriodicJob, periodic_jobs
from mutua.notify import services
from mutua.notify.scheduler import Scheduler
from mutua.notify.tasks import run_job

pytestmark = pytest.mark.django_db


def _declared_by(app: str) -> set[str]:
    return {job.name for job in import_module(f"mutua.{app}.tasks").PERIODIC}


def test_each_app_declares_its_own_jobs_and_the_scheduler_collects_them_all():
    declared = {
        app: _declared_by(app)
        for app in (
            "aid",
            "governance",
            "privacy",
            "matching",
            "checkins",
            "incidents",
            "notify",
            "federation",
            "resources",
            "ops",
        )
    }

    assert declared == {
        "aid": {"expire-asks", "hand-on-overdue", "release-offered-asks"},
        "governance": {"governance-deadlines"},
        "privacy": {"privacy-purge"},
        "matching": {"expire-proposals", "dispatch-rounds"},
        "checkins": {"checkins-assign", "checkins-escalate"},
        "incidents": {"incident-cases"},
        "notify": {"notify-outbox", "notify-proposals", "notify-digests", "notify-purge"},
        "federation": {"federation-deliver", "federation-figures"},
        "resources": {"remind-shifts", "close-callouts", "remind-loans", "remind-gatherings"},
        "ops": {"ops-heartbeat", "ops-backup"},
    }
    assert {job.name for job in Scheduler().jobs} == set().union(*declared.values())


def test_a_job_name_declared_by_two_apps_is_refused(monkeypatch):
    from mutua.matching import tasks as matching_tasks

    clash = PeriodicJob("expire-asks", lambda: 0, lambda: timedelta(hours=1))
    monkeypatch.setattr(matching_tasks, "PERIODIC", (*matching_tasks.PERIODIC, clash))

    with pytest.raises(ImproperlyConfigured, match="expire-asks"):
        periodic_jobs()


def test_each_periodic_job_is_claimed_once_per_period():
    jobs = [(job.name, job.every()) for job in periodic_jobs()]
    now = timezone.now()

    longest = max(every for _name, every in jobs)

    first = services.claim_due_jobs(jobs=jobs, now=now)
    again = services.claim_due_jobs(jobs=jobs, now=now + timedelta(seconds=1))
    later = services.claim_due_jobs(jobs=jobs, now=now + longest)

    assert first == [name for name, _every in jobs]
    assert again == []
    assert later == first


def test_every_periodic_job_runs(ward):
    for job in periodic_jobs():
        result = run_job.enqueue(job.name)
        assert result.status == "SUCCESSFUL", job.name
    assert run_job.enqueue("no-such-job").return_value == "unknown"
