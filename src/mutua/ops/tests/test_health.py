"""/healthz as a monitor sees it: the database, the worker's heartbeat, the queue, the disk."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from mutua.notify.tasks import run_job
from mutua.ops.models import Heartbeat

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """Tasks wait in the database for a worker, as in production."""
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db
def test_healthz_reports_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["disk"] == "ok" and body["disk_free_mb"] > 0


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


# Not in a test transaction: the worker closes its database connection when it is done.
@pytest.mark.django_db(transaction=True)
def test_a_silent_worker_makes_healthz_503_until_it_runs_tasks_again(client, queued_tasks):
    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - timedelta(minutes=10))

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded" and body["worker"] == "silent"
    assert body["worker_silent_seconds"] >= 600

    # The heartbeat is a queued task: only a worker that takes tasks from the queue beats.
    run_job.enqueue("ops-heartbeat")
    assert client.get("/healthz").json()["queue_depth"] == 1
    call_command("worker", "--batch", verbosity=0)

    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["worker"] == "ok" and body["worker_silent_seconds"] < 60
    assert body["queue_depth"] == 0


@pytest.mark.django_db
def test_a_new_server_is_healthy_until_queued_work_waits_too_long(client, queued_tasks):
    run_job.enqueue("ops-heartbeat")
    body = client.get("/healthz").json()
    assert body["worker"] == "not seen yet" and body["status"] == "ok"

    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker"] == "silent"


@pytest.mark.django_db
def test_a_nearly_full_disk_makes_healthz_503(client, settings):
    settings.MUTUA_MIN_FREE_DISK_MB = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["disk"] == "low"
