"""Helpers shared by the governance services: the clock, writing the group log,
scheduling the deadline pass, and checks several kinds of write need.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput
from mutua.core.text import clean_text
from mutua.governance import extensions
from mutua.governance.events import group_event
from mutua.governance.models import AgreementVersion, LogEntry, LogKind, Proposal, Role, RoleTerm
from mutua.governance.services.log import announce
from mutua.groups.models import Group
from mutua.groups.selectors import is_member
from mutua.people.models import User

REMINDER_BEFORE = timedelta(days=1)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _not_carried(proposal: Proposal, *, now: datetime) -> None:
    """What follows, in the app that owns it, when a proposal of its kind does not pass or
    is withdrawn (mutua.governance.extensions)."""
    follow = extensions.not_carried_for(proposal.kind)
    if follow is not None:
        follow(proposal, now)


def _log(
    group: Group,
    kind: LogKind,
    *,
    at: datetime,
    actor: User | None = None,
    subject: User | None = None,
    proposal: Proposal | None = None,
    term: RoleTerm | None = None,
    agreement_version: AgreementVersion | None = None,
    detail: str = "",
) -> LogEntry:
    entry = LogEntry.objects.create(
        detail=detail,
        group=group,
        kind=kind,
        at=at,
        actor=actor,
        subject=subject,
        proposal=proposal,
        term=term,
        agreement_version=agreement_version,
    )
    if not group_event.is_muted():
        transaction.on_commit(partial(announce, entry_id=entry.pk))
    return entry


def _schedule_pass(at: datetime) -> None:
    """Have the worker run the deadline pass at `at`. A task backend that cannot run tasks
    later (the immediate one) relies on `mutua govern` from cron instead."""
    # Imported here: the tasks module imports this one.
    from mutua.governance.tasks import run_due_task

    if run_due_task.get_backend().supports_defer:
        transaction.on_commit(lambda: run_due_task.using(run_after=at).enqueue())


def _schedule_round(proposal: Proposal, *, now: datetime) -> None:
    reminder = proposal.deadline - REMINDER_BEFORE
    if reminder > now:
        _schedule_pass(reminder)
    _schedule_pass(proposal.deadline)


def _check_role(role: str) -> Role:
    if role not in Role.values:
        raise InvalidInput(_("Unknown role: %(role)s") % {"role": role}, field="role")
    return Role(role)


def _require_subject_member(group: Group, user: User | None, *, field: str = "subject") -> User:
    if user is None or not is_member(group=group, user=user):
        raise InvalidInput(_("Choose a member of the group."), field=field)
    return user


def _clean_agreement(title: str, text: str) -> tuple[str, str]:
    title = clean_text(
        title, field="agreement_title", label=_("the agreement's title"), limit=200, required=True
    )
    text = clean_text(
        text, field="agreement_text", label=_("the agreement's text"), limit=20000, required=True
    )
    return title, text
