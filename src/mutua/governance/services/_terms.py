"""Role terms: `_start_term` is the one place a role is given (see the package docstring),
and the ways a term ends.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef

from mutua.governance.models import LogKind, Proposal, RoleTerm, TermSource, TermStatus
from mutua.governance.services._common import _log, _schedule_pass
from mutua.groups.models import Group, Membership
from mutua.people.models import User


def _start_term(
    *,
    group: Group,
    holder: User,
    role: str,
    source: TermSource,
    starts_at: datetime,
    ends_at: datetime,
    proposal: Proposal | None = None,
    actor: User | None = None,
) -> RoleTerm:
    """Give `holder` the role from `starts_at` to `ends_at`, ending a term they hold now."""
    RoleTerm.objects.filter(group=group, holder=holder, role=role, status=TermStatus.ACTIVE).update(
        status=TermStatus.RENEWED, ended_at=starts_at
    )
    term = RoleTerm.objects.create(
        group=group,
        holder=holder,
        role=role,
        source=source,
        proposal=proposal,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    _log(
        group,
        LogKind.ROLE_GRANTED,
        at=starts_at,
        actor=actor,
        subject=holder,
        proposal=proposal,
        term=term,
    )
    _schedule_pass(ends_at)
    return term


def _end_term(term: RoleTerm, *, status: TermStatus, at: datetime) -> bool:
    """End an active term once; False if something else ended it first."""
    return bool(
        RoleTerm.objects.filter(pk=term.pk, status=TermStatus.ACTIVE).update(
            status=status, ended_at=at
        )
    )


def _end_terms_of_former_members(*, now: datetime, group: Group | None = None) -> int:
    """End the active terms of people who are no longer members (they left or were
    removed); returns how many."""
    terms = RoleTerm.objects.filter(status=TermStatus.ACTIVE).filter(
        ~Exists(Membership.objects.filter(group=OuterRef("group"), user=OuterRef("holder")))
    )
    if group is not None:
        terms = terms.filter(group=group)
    ended = 0
    for term in terms.select_related("group", "holder"):
        with transaction.atomic():
            if _end_term(term, status=TermStatus.LEFT, at=now):
                _log(term.group, LogKind.ROLE_LEFT, at=now, subject=term.holder, term=term)
                ended += 1
    return ended
