"""The deadline pass: decide proposals whose round has ended, remind of deadlines near,
end roles whose term is over.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F

from mutua.governance.models import LogKind, Proposal, RoleTerm, TermStatus
from mutua.governance.outcome import Verdict
from mutua.governance.services._common import REMINDER_BEFORE, _log, _now
from mutua.governance.services._terms import _end_term, _end_terms_of_former_members
from mutua.governance.services.outcomes import close_proposal


def expire_roles(*, now: datetime | None = None) -> int:
    """End every term past its end, and every term whose holder is no longer a member;
    each is logged once. Returns how many ended. Safe to run any number of times."""
    now = _now(now)
    ended = 0
    due = RoleTerm.objects.filter(status=TermStatus.ACTIVE, ends_at__lte=now)
    for term in due.select_related("group", "holder"):
        with transaction.atomic():
            if _end_term(term, status=TermStatus.EXPIRED, at=term.ends_at):
                _log(term.group, LogKind.ROLE_EXPIRED, at=now, subject=term.holder, term=term)
                ended += 1
    return ended + _end_terms_of_former_members(now=now)


def remind_near_deadlines(*, now: datetime | None = None) -> int:
    """Record, once per round, that an open proposal closes within a day; returns how many."""
    now = _now(now)
    reminded = 0
    near = Proposal.objects.open().filter(
        deadline__gt=now, deadline__lte=now + REMINDER_BEFORE, reminded_round__lt=F("round")
    )
    for proposal in near.select_related("group"):
        with transaction.atomic():
            # The conditional update makes a second pass, or a second worker, a no-op.
            if Proposal.objects.filter(pk=proposal.pk, reminded_round__lt=proposal.round).update(
                reminded_round=proposal.round
            ):
                _log(proposal.group, LogKind.DEADLINE_NEAR, at=now, proposal=proposal)
                reminded += 1
    return reminded


@dataclass(frozen=True)
class DuePass:
    """What one run of the deadline pass did."""

    decided: int = 0
    second_rounds: int = 0
    reminded: int = 0
    roles_ended: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def run_due(*, now: datetime | None = None) -> DuePass:
    """The deadline pass: decide proposals whose round has ended, remind of deadlines near,
    end roles whose term is over. Each step is idempotent, so running it twice, or from the
    worker and cron at once, changes nothing more."""
    now = _now(now)
    decided = second_rounds = 0
    for proposal_id in Proposal.objects.due(now).values_list("pk", flat=True):
        outcome = close_proposal(proposal_id=proposal_id, now=now)
        if outcome == Verdict.SECOND_ROUND:
            second_rounds += 1
        elif outcome is not None:
            decided += 1
    return DuePass(
        decided=decided,
        second_rounds=second_rounds,
        reminded=remind_near_deadlines(now=now),
        roles_ended=expire_roles(now=now),
    )
