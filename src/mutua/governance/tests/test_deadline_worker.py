"""Deadlines pass in the background worker: opening a proposal, or granting a role, queues
the deadline pass for the moment it is due, and `mutua worker` runs it then."""

from __future__ import annotations

import signal
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mutua.core import geo
from mutua.core.tests.factories import HACKNEY
from mutua.governance import policy, services
from mutua.governance.models import ProposalStatus, Role, RoleTerm
from mutua.governance.tests.factories import agree, propose

# Outside a test transaction, as in production: tasks are queued when the transaction that
# asked for them commits, and between tasks the worker closes any connection it finds inside
# a transaction, which would end a test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    """Queue tasks in the database, as a real installation does, and keep pytest's signal
    handlers (the worker installs its own for Ctrl-C)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def _queued() -> list[tuple[str, object]]:
    return sorted(
        (row.task_path.rsplit(".", 1)[-1], row.run_after)
        # Governance's own tasks: members being told of a proposal is notify's business.
        for row in DBTaskResult.objects.filter(
            status="READY", task_path__startswith="mutua.governance."
        )
    )


def _run_worker() -> None:
    call_command("worker", "--batch", verbosity=0, stdout=StringIO())


def test_the_worker_decides_a_proposal_at_its_deadline(
    database_tasks, ward, helper, other_helper, dispatcher
):
    proposal = propose(ward, helper, "grant-role", role="hotline", subject=other_helper)
    agree(proposal, helper, other_helper, dispatcher)

    # One pass a day before the deadline (the reminder), one at the deadline.
    assert _queued() == [
        ("run_due_task", proposal.deadline - timedelta(days=1)),
        ("run_due_task", proposal.deadline),
    ]
    _run_worker()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN  # not due yet: the worker waits

    # The days go by: the proposal's deadline and its queued passes come due.
    past = timezone.now() - timedelta(seconds=1)
    type(proposal).objects.filter(pk=proposal.pk).update(deadline=past)
    DBTaskResult.objects.update(run_after=past)
    _run_worker()

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    assert policy.has_role(other_helper, ward, Role.HOTLINE)
    # The new term's end is queued too, so the role ends on time.
    term = RoleTerm.objects.get(holder=other_helper, role="hotline")
    assert ("run_due_task", term.ends_at) in _queued()


def test_the_worker_ends_a_role_at_the_end_of_its_term(database_tasks, outsider):
    group = services.found_group(
        founder=outsider, name="Dalston", cells=geo.disk(*HACKNEY, 1, resolution=8)
    )
    ends_at = RoleTerm.objects.filter(group=group).earliest("ends_at").ends_at
    assert {run_after for _name, run_after in _queued()} == {ends_at}

    # The bootstrap days go by.
    now = timezone.now()
    RoleTerm.objects.update(starts_at=now - timedelta(days=14), ends_at=now)
    DBTaskResult.objects.update(run_after=now)
    _run_worker()

    assert not policy.has_role(outsider, group, Role.WELCOMER)
    assert set(RoleTerm.objects.values_list("status", flat=True)) == {"expired"}
