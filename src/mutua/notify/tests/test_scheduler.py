"""The worker's schedule: each periodic job is claimed once per period, and every one runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.notify import services
from mutua.notify.schedule import JOBS
from mutua.notify.tasks import run_job

pytestmark = pytest.mark.django_db


def test_each_periodic_job_is_claimed_once_per_period():
    jobs = [(job.name, job.every()) for job in JOBS]
    now = timezone.now()

    longest = max(every for _name, every in jobs)

    first = services.claim_due_jobs(jobs=jobs, now=now)
    again = services.claim_due_jobs(jobs=jobs, now=now + timedelta(seconds=1))
    later = services.claim_due_jobs(jobs=jobs, now=now + longest)

    assert first == [job.name for job in JOBS]
    assert again == []
    assert later == first


def test_every_periodic_job_runs(ward):
    for job in JOBS:
        result = run_job.enqueue(job.name)
        assert result.status == "SUCCESSFUL", job.name
    assert run_job.enqueue("no-such-job").return_value == "unknown"
