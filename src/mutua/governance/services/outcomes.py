"""Outcomes: deciding a proposal at its deadline and carrying out what a passed one
decided (roles, settings, agreements, removing a member).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from mutua.governance import extensions, selectors
from mutua.governance.models import (
    SETTINGS,
    Agreement,
    AgreementVersion,
    EffectProblem,
    GroupSettings,
    LogKind,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Role,
    RoleTerm,
    TermSource,
    TermStatus,
)
from mutua.governance.outcome import Verdict, verdict
from mutua.governance.services._common import _log, _not_carried, _now, _schedule_round
from mutua.governance.services._terms import _end_term, _end_terms_of_former_members, _start_term
from mutua.governance.services.areas import change_area_by_decision
from mutua.governance.services.establishment import establish_if_ready
from mutua.groups import selectors as group_selectors
from mutua.groups import services as group_services
from mutua.groups.selectors import is_member
from mutua.people.models import User


class _Unworkable(Exception):
    def __init__(self, problem: EffectProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@transaction.atomic
def close_proposal(*, proposal_id: int, now: datetime | None = None) -> Verdict | None:
    """Decide a proposal whose round has reached its deadline: pass it (and carry it out),
    fail it, or open its second round. Does nothing (None) before the deadline or once
    decided, so the pass may run any number of times."""
    now = _now(now)
    proposal = (
        # Only the proposal's row: PostgreSQL cannot lock the empty side of an outer join.
        Proposal.objects.select_for_update(of=("self",))
        .select_related("group", "subject", "agreement")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or not proposal.is_open or proposal.deadline > now:
        return None
    standing = selectors.standing(proposal)
    outcome = verdict(
        standing.tally,
        selectors.rules_of(proposal),
        round=proposal.round,
        eligible=standing.eligible,
    )
    group = proposal.group
    if outcome == Verdict.SECOND_ROUND:
        proposal.round = 2
        proposal.deadline = now + timedelta(days=proposal.second_round_days)
        proposal.save(update_fields=["round", "deadline"])
        _log(group, LogKind.SECOND_ROUND, at=now, proposal=proposal)
        _schedule_round(proposal, now=now)
        return outcome
    tally = standing.tally
    proposal.status = (
        ProposalStatus.PASSED if outcome == Verdict.PASSED else ProposalStatus.NOT_PASSED
    )
    proposal.decided_at = now
    proposal.final_agree, proposal.final_abstain = tally.agree, tally.abstain
    proposal.final_disagree, proposal.final_block = tally.disagree, tally.block
    proposal.final_needed = standing.needed
    if outcome != Verdict.PASSED:
        proposal.save()
        _log(group, LogKind.PROPOSAL_NOT_PASSED, at=now, proposal=proposal)
        _not_carried(proposal, now=now)
        return outcome
    _log(group, LogKind.PROPOSAL_PASSED, at=now, proposal=proposal)
    try:
        with transaction.atomic():
            _carry_out(proposal, now=now)
    except _Unworkable as refused:
        proposal.effect_problem = refused.problem
        _log(group, LogKind.EFFECT_FAILED, at=now, proposal=proposal)
    except extensions.EffectRefused as refused:
        proposal.effect_problem = EffectProblem.REFUSED
        _log(group, LogKind.EFFECT_FAILED, at=now, proposal=proposal, detail=refused.reason)
    proposal.save()
    return outcome


def _carry_out(proposal: Proposal, *, now: datetime) -> None:
    """Do what a passed proposal decided."""
    if proposal.kind == ProposalKind.GRANT_ROLE:
        _grant_by_decision(proposal, now=now)
    elif proposal.kind == ProposalKind.REVOKE_ROLE:
        _revoke_by_decision(proposal, now=now)
    elif proposal.kind == ProposalKind.CHANGE_SETTING:
        _change_setting(proposal, now=now)
    elif proposal.kind == ProposalKind.AGREEMENT:
        _adopt_agreement(proposal, now=now)
    elif proposal.kind == ProposalKind.REMOVE_MEMBER:
        _remove_member(proposal, now=now)
    elif proposal.kind == ProposalKind.AGREE_AREA:
        _agree_area(proposal, now=now)
    elif proposal.kind == ProposalKind.CHANGE_AREA:
        change_area_by_decision(proposal, now=now)
    elif proposal.kind in (ProposalKind.JOIN_NETWORK, ProposalKind.LEAVE_NETWORK):
        _join_or_leave(proposal, now=now)
    elif proposal.kind == ProposalKind.RESTORE_CLAIMING:
        # The log entry is the record aid reads: releases before it no longer count.
        person = _member_subject(proposal)
        _log(proposal.group, LogKind.CLAIMING_RESTORED, at=now, subject=person, proposal=proposal)
    elif proposal.kind in extensions.carried_out_elsewhere():
        effect = extensions.effect_for(proposal.kind)
        if effect is None:
            # The app that carries it out is not installed: say so rather than pass silently.
            raise extensions.EffectRefused(proposal.get_kind_display())
        effect(proposal, now)


def _member_subject(proposal: Proposal) -> User:
    subject = proposal.subject
    if subject is None or not is_member(group=proposal.group, user=subject):
        raise _Unworkable(EffectProblem.NOT_A_MEMBER)
    return subject


def _grant_by_decision(proposal: Proposal, *, now: datetime) -> RoleTerm:
    holder = _member_subject(proposal)
    days = proposal.term_days or selectors.group_settings(proposal.group).role_term_days
    term = _start_term(
        group=proposal.group,
        holder=holder,
        role=proposal.role,
        source=TermSource.PROPOSAL,
        starts_at=now,
        ends_at=now + timedelta(days=days),
        proposal=proposal,
    )
    if proposal.role == Role.HELPER:
        establish_if_ready(group=proposal.group, now=now)
    return term


def _revoke_by_decision(proposal: Proposal, *, now: datetime) -> None:
    holder = _member_subject(proposal)
    term = (
        RoleTerm.objects.select_for_update()
        .filter(
            group=proposal.group,
            holder=holder,
            role=proposal.role,
            status=TermStatus.ACTIVE,
            ends_at__gt=now,
        )
        .first()
    )
    if term is None or not _end_term(term, status=TermStatus.REVOKED, at=now):
        raise _Unworkable(EffectProblem.ROLE_NOT_HELD)
    RoleTerm.objects.filter(pk=term.pk).update(ended_by=proposal)
    _log(
        proposal.group,
        LogKind.ROLE_REVOKED,
        at=now,
        subject=holder,
        proposal=proposal,
        term=term,
    )


def _change_setting(proposal: Proposal, *, now: datetime) -> None:
    row, _created = GroupSettings.objects.select_for_update().get_or_create(group=proposal.group)
    spec = SETTINGS[proposal.setting_key]
    value: int | str | None
    if spec.choices is not None or spec.phone or spec.categories:
        value = proposal.setting_value
    else:
        value = int(proposal.setting_value) if proposal.setting_value else None
    setattr(row, proposal.setting_key, value)
    row.save()
    _log(proposal.group, LogKind.SETTING_CHANGED, at=now, proposal=proposal)


def _adopt_agreement(proposal: Proposal, *, now: datetime) -> None:
    agreement = proposal.agreement
    if agreement is None:
        if proposal.agreement_base:
            # It amended an agreement that has since been deleted with its versions.
            raise _Unworkable(EffectProblem.AGREEMENT_CHANGED)
        agreement = Agreement.objects.create(
            group=proposal.group, title=proposal.agreement_title, created_at=now
        )
        proposal.agreement = agreement
    else:
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.current_version != proposal.agreement_base:
            raise _Unworkable(EffectProblem.AGREEMENT_CHANGED)
    agreement.current_version += 1
    agreement.title = proposal.agreement_title
    agreement.save(update_fields=["current_version", "title"])
    version = AgreementVersion.objects.create(
        group_id=proposal.group_id,
        agreement=agreement,
        number=agreement.current_version,
        title=proposal.agreement_title,
        text=proposal.agreement_text,
        proposal=proposal,
        adopted_at=now,
    )
    _log(
        proposal.group,
        LogKind.AGREEMENT_ADOPTED,
        at=now,
        proposal=proposal,
        agreement_version=version,
    )


def _remove_member(proposal: Proposal, *, now: datetime) -> None:
    person = _member_subject(proposal)
    group_services.leave_group(group=proposal.group, user=person)
    _log(proposal.group, LogKind.MEMBER_REMOVED, at=now, subject=person, proposal=proposal)
    _end_terms_of_former_members(now=now, group=proposal.group)


def _agree_area(proposal: Proposal, *, now: datetime) -> None:
    _log(proposal.group, LogKind.AREA_AGREED, at=now, proposal=proposal)
    other = proposal.other_group
    if other is not None:
        # The proposal's own status is saved after this, so the check counts it in.
        proposal.status = ProposalStatus.PASSED
        proposal.save(update_fields=["status"])
        establish_if_ready(group=other, now=now)


def _join_or_leave(proposal: Proposal, *, now: datetime) -> None:
    """Sit inside the chosen network, or leave the one the group is in: the group's own
    decision alone (a network coordinates; it never commands, nor chooses its members)."""
    group, network = proposal.group, proposal.other_group
    if proposal.kind == ProposalKind.JOIN_NETWORK:
        if network is None or group.pk in group_selectors.ancestor_ids(network):
            raise _Unworkable(EffectProblem.NETWORK_CHANGED)
        group_services.set_parent(group=group, parent=network)
        _log(group, LogKind.JOINED_NETWORK, at=now, proposal=proposal, detail=network.name)
        return
    if network is None or group.parent_id != network.pk:
        raise _Unworkable(EffectProblem.NETWORK_CHANGED)
    group_services.set_parent(group=group, parent=None)
    _log(group, LogKind.LEFT_NETWORK, at=now, proposal=proposal, detail=network.name)
