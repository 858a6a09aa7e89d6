"""`mutua expire`, and the same job as a background task run by `mutua worker`."""

from __future__ import annotations

import signal
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from mutua.aid import services
from mutua.aid.models import Ask, AskEvent, AskStatus
from mutua.aid.tasks import expire_asks_task
from mutua.core.tests.factories import make_ask

pytestmark = pytest.mark.django_db


def past_due(ask: Ask) -> Ask:
    Ask.objects.filter(pk=ask.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    return Ask.objects.get(pk=ask.pk)


@pytest.fixture
def asks(helper):
    """An open ask past its expiry, an open one still current, and a claimed one past due."""
    stale = past_due(make_ask(what="stale"))
    current = make_ask(what="current")
    taken = make_ask(what="taken")
    services.claim_ask(ask=taken, helper=helper)
    return stale, current, past_due(taken)


def status(ask: Ask) -> str:
    return Ask.objects.get(pk=ask.pk).status


def test_expire_closes_only_open_asks_past_their_expiry(asks):
    stale, current, taken = asks
    out = StringIO()

    call_command("expire", stdout=out)

    assert out.getvalue() == "1 ask expired.\n"
    assert status(stale) == AskStatus.EXPIRED
    assert status(current) == AskStatus.OPEN
    assert status(taken) == AskStatus.CLAIMED
    assert AskEvent.objects.filter(ask=stale, kind=AskEvent.Kind.EXPIRED).count() == 1


def test_expire_twice_expires_nothing_more(asks):
    call_command("expire", stdout=StringIO())
    out = StringIO()

    call_command("expire", stdout=out)

    assert out.getvalue() == "0 asks expired.\n"
    assert AskEvent.objects.filter(kind=AskEvent.Kind.EXPIRED).count() == 1


def test_expire_task_runs_the_same_job(asks):
    stale, current, _taken = asks

    result = expire_asks_task.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert status(stale) == AskStatus.EXPIRED and status(current) == AskStatus.OPEN
    assert expire_asks_task.enqueue().return_value == 0


@pytest.fixture
def database_tasks(settings):
    """Queue tasks in the database, as a real installation does, and keep pytest's signals
    (the worker installs its own Ctrl-C handler)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


# Outside a test transaction: between tasks the worker closes any connection it finds
# inside a transaction (as after a crashed task), which would end the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_queued_expiry(asks, database_tasks):
    stale, _current, _taken = asks
    queued = expire_asks_task.enqueue()
    assert queued.status == TaskResultStatus.READY
    assert status(stale) == AskStatus.OPEN

    call_command("worker", "--batch", verbosity=0, stdout=StringIO())

    done = expire_asks_task.get_result(queued.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == 1
    assert status(stale) == AskStatus.EXPIRED
