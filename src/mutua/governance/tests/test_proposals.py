"""Proposals through the services: positions until the deadline, outcomes at the deadline
(by the same pass the worker and `mutua govern` run), second rounds, edits, and what a
passed proposal does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from mutua.core.errors import InvalidInput, InvalidTransition, NotAllowed
from mutua.governance import events, policy, services
from mutua.governance.models import (
    Agreement,
    LogEntry,
    LogKind,
    Position,
    Proposal,
    ProposalStatus,
    Role,
)
from mutua.governance.outcome import Verdict
from mutua.governance.tasks import run_due_task
from mutua.governance.tests.factories import (
    agree,
    deadline_passes,
    decide,
    member_of,
    propose,
    set_rules,
)
from mutua.groups import services as group_services
from mutua.groups.models import Membership

pytestmark = pytest.mark.django_db


def kinds_logged(group) -> list[str]:
    return list(LogEntry.objects.filter(group=group).order_by("pk").values_list("kind", flat=True))


def test_consensus_passes_at_the_deadline_not_before(ward, helper, other_helper, dispatcher):
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper, dispatcher)

    services.run_due(now=proposal.deadline - timedelta(seconds=1))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN

    decided = decide(proposal)
    assert decided.status == ProposalStatus.PASSED
    assert (decided.final_agree, decided.final_block, decided.final_needed) == (3, 0, 3)
    assert kinds_logged(ward)[-1] == LogKind.PROPOSAL_PASSED


def test_too_few_agrees_do_not_pass(ward, helper, other_helper, dispatcher):
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper)
    services.take_position(proposal=proposal, member=dispatcher, stance="abstain")

    assert decide(proposal).status == ProposalStatus.NOT_PASSED
    assert kinds_logged(ward)[-1] == LogKind.PROPOSAL_NOT_PASSED


def test_a_block_stops_it_and_needs_a_reason(ward, helper, other_helper, dispatcher):
    fourth = member_of(ward, "sam")
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper, dispatcher)

    with pytest.raises(InvalidInput) as refused:
        services.take_position(proposal=proposal, member=fourth, stance="block")
    assert refused.value.field == "reason"
    assert not Position.objects.filter(member=fourth).exists()

    services.take_position(
        proposal=proposal, member=fourth, stance="block", reason="The hall has no power."
    )
    assert decide(proposal).status == ProposalStatus.NOT_PASSED


def test_a_block_withdrawn_before_the_deadline_lets_it_pass(ward, helper, other_helper, dispatcher):
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper)
    services.take_position(proposal=proposal, member=dispatcher, stance="block", reason="Cost")
    services.take_position(proposal=proposal, member=dispatcher, stance="agree")

    assert Position.objects.filter(proposal=proposal, member=dispatcher).count() == 1
    assert decide(proposal).status == ProposalStatus.PASSED


def test_positions_are_refused_once_the_deadline_passes(ward, helper, other_helper):
    proposal = propose(ward, helper)
    deadline_passes(proposal)

    # Refused at once, before the pass has even counted it.
    with pytest.raises(InvalidTransition):
        services.take_position(proposal=proposal, member=other_helper, stance="agree")
    decide(proposal)
    with pytest.raises(InvalidTransition):
        services.take_position(proposal=proposal, member=other_helper, stance="agree")
    assert not Position.objects.filter(member=other_helper).exists()


def test_positions_at_exactly_the_deadline_are_late(ward, helper, other_helper):
    proposal = propose(ward, helper)

    with pytest.raises(InvalidTransition):
        services.take_position(
            proposal=proposal, member=other_helper, stance="agree", now=proposal.deadline
        )
    services.take_position(
        proposal=proposal,
        member=other_helper,
        stance="agree",
        now=proposal.deadline - timedelta(seconds=1),
    )


def test_outsiders_and_latecomers_take_no_position(ward, helper, outsider):
    proposal = propose(ward, helper)

    with pytest.raises(NotAllowed):
        services.take_position(proposal=proposal, member=outsider, stance="agree")
    group_services.join_group(group=ward, user=outsider)
    with pytest.raises(NotAllowed, match="joined after"):
        services.take_position(proposal=proposal, member=outsider, stance="agree")
    services.add_comment(proposal=proposal, author=outsider, text="Count me in next time.")


def test_only_members_still_in_the_group_count(ward, helper, other_helper, dispatcher):
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper, dispatcher)
    group_services.leave_group(group=ward, user=dispatcher)

    decided = decide(proposal)

    # Two members are left: both agreed, which is every member who can decide.
    assert (decided.final_agree, decided.final_needed) == (2, 2)
    assert decided.status == ProposalStatus.PASSED


def test_second_round_decides_by_qualified_majority(ward, helper, other_helper, dispatcher):
    set_rules(ward, decision_rule="consensus-majority", min_agrees=2, majority_percent=67)
    members = [member_of(ward, name) for name in ("ana", "ben", "cy")]
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper, dispatcher, *members[:2])
    services.take_position(proposal=proposal, member=members[2], stance="block", reason="No")

    first = decide(proposal)
    assert (first.status, first.round) == (ProposalStatus.OPEN, 2)
    assert first.deadline > timezone.now() + timedelta(days=6)
    assert LogKind.SECOND_ROUND in kinds_logged(ward)

    # 5 of 6 positions cast agree; the block counts against in the second round.
    second = decide(first)
    assert second.status == ProposalStatus.PASSED
    assert (second.final_agree, second.final_block) == (5, 1)


def test_a_tie_in_the_second_round_does_not_pass(ward, helper, other_helper, dispatcher):
    set_rules(ward, decision_rule="consensus-majority", min_agrees=1, majority_percent=51)
    fourth = member_of(ward, "sam")
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper)
    services.take_position(proposal=proposal, member=dispatcher, stance="block", reason="No")
    services.take_position(proposal=proposal, member=fourth, stance="disagree")

    assert decide(proposal).round == 2
    assert decide(proposal).status == ProposalStatus.NOT_PASSED


def test_without_the_fallback_a_block_ends_it(ward, helper, other_helper, dispatcher):
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper)
    services.take_position(proposal=proposal, member=dispatcher, stance="block", reason="No")

    decided = decide(proposal)

    assert (decided.status, decided.round) == (ProposalStatus.NOT_PASSED, 1)


def test_rules_are_fixed_when_a_proposal_opens(ward, helper, other_helper):
    proposal = propose(ward, helper)
    set_rules(ward, min_agrees=1)
    agree(proposal, helper)

    # Opened when 3 agrees were needed (so 2 in this group of two); the new rule of 1
    # does not apply to it.
    assert decide(proposal).status == ProposalStatus.NOT_PASSED


def test_the_pass_is_safe_to_run_twice(ward, helper, other_helper, dispatcher):
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper, dispatcher)
    deadline_passes(proposal)

    first = services.run_due()
    second = services.run_due()

    assert (first.decided, second.decided) == (1, 0)
    assert kinds_logged(ward).count(LogKind.PROPOSAL_PASSED) == 1
    assert services.close_proposal(proposal_id=proposal.pk) is None


def test_the_govern_command_runs_the_pass(ward, helper, other_helper, dispatcher, capsys):
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper, dispatcher)
    deadline_passes(proposal)

    call_command("govern")

    assert "1 proposal decided." in capsys.readouterr().out
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED


def test_a_reminder_once_when_the_deadline_is_a_day_away(ward, helper):
    proposal = propose(ward, helper, days=2)
    near = proposal.deadline - timedelta(hours=12)

    assert services.run_due(now=near).reminded == 1
    assert services.run_due(now=near).reminded == 0
    assert kinds_logged(ward).count(LogKind.DEADLINE_NEAR) == 1


def test_the_author_edits_and_every_version_is_kept(ward, helper, other_helper):
    proposal = propose(ward, helper, title="Freezer", text="A chest freezer.")
    agree(proposal, other_helper)

    services.edit_proposal(
        proposal=proposal, editor=helper, title="Freezer", text="A small chest freezer."
    )
    with pytest.raises(NotAllowed):
        services.edit_proposal(proposal=proposal, editor=other_helper, title="x", text="y")

    proposal.refresh_from_db()
    assert proposal.version == 2
    assert [v.text for v in proposal.versions.all()] == [
        "A small chest freezer.",
        "A chest freezer.",
    ]
    # Positions say which text they were taken on.
    assert Position.objects.get(member=other_helper).version == 1
    assert LogKind.PROPOSAL_EDITED in kinds_logged(ward)


def test_an_edit_that_changes_nothing_adds_no_version(ward, helper):
    proposal = propose(ward, helper)
    services.edit_proposal(
        proposal=proposal, editor=helper, title=proposal.title, text=proposal.text
    )
    assert proposal.versions.count() == 1


def test_the_author_withdraws_and_then_nothing_more_happens(ward, helper, other_helper):
    proposal = propose(ward, helper)

    with pytest.raises(NotAllowed):
        services.withdraw_proposal(proposal=proposal, member=other_helper)
    services.withdraw_proposal(proposal=proposal, member=helper)

    with pytest.raises(InvalidTransition):
        services.take_position(proposal=proposal, member=other_helper, stance="agree")
    deadline_passes(proposal)
    assert services.run_due().decided == 0
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"text": ""}, "text"),
        ({"days": 0}, "days"),
        ({"days": 91}, "days"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "spend"}, "kind"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_saved(ward, helper, fields, field):
    kind = fields.pop("kind", "general")
    with pytest.raises(InvalidInput) as refused:
        propose(ward, helper, kind, **fields)
    assert refused.value.field == field
    assert not Proposal.objects.exists()
    assert not LogEntry.objects.exists()


def test_only_members_open_proposals(ward, outsider):
    with pytest.raises(NotAllowed):
        propose(ward, outsider)
    assert not Proposal.objects.exists()


# What a passed proposal does.


def test_granting_a_role_by_decision(ward, helper, other_helper, dispatcher):
    proposal = propose(
        ward, helper, "grant-role", role="dispatcher", subject=dispatcher, term_days=30
    )
    agree(proposal, helper, other_helper, dispatcher)
    assert not policy.has_role(dispatcher, ward, Role.DISPATCHER)

    decide(proposal)

    assert policy.has_role(dispatcher, ward, Role.DISPATCHER)
    term = dispatcher.role_terms.get()
    assert (term.source, term.proposal) == ("proposal", proposal)
    assert timedelta(days=29) < term.ends_at - timezone.now() <= timedelta(days=30)
    assert LogKind.ROLE_GRANTED in kinds_logged(ward)


def test_a_grant_that_does_not_pass_grants_nothing(ward, helper, other_helper, dispatcher):
    proposal = propose(ward, helper, "grant-role", role="treasurer", subject=helper)
    agree(proposal, helper, other_helper)
    services.take_position(proposal=proposal, member=dispatcher, stance="block", reason="Rotate")

    decide(proposal)

    assert not policy.has_role(helper, ward, Role.TREASURER)
    assert not helper.role_terms.exists()


def test_a_grant_to_someone_who_left_is_not_carried_out(ward, helper, other_helper, dispatcher):
    fourth = member_of(ward, "sam")
    proposal = propose(ward, helper, "grant-role", role="hotline", subject=fourth)
    agree(proposal, helper, other_helper, dispatcher)
    group_services.leave_group(group=ward, user=fourth)

    decided = decide(proposal)

    assert decided.status == ProposalStatus.PASSED
    assert decided.effect_problem == "not-a-member"
    assert not fourth.role_terms.exists()
    assert kinds_logged(ward)[-1] == LogKind.EFFECT_FAILED


def test_revoking_a_role_by_decision(ward, helper, other_helper, dispatcher):
    grant = propose(ward, helper, "grant-role", role="welcomer", subject=other_helper)
    agree(grant, helper, other_helper, dispatcher)
    decide(grant)

    revoke = propose(ward, helper, "revoke-role", role="welcomer", subject=other_helper)
    agree(revoke, helper, dispatcher, other_helper)
    decide(revoke)

    assert not policy.has_role(other_helper, ward, Role.WELCOMER)
    term = other_helper.role_terms.get()
    assert (term.status, term.ended_by) == ("revoked", revoke)
    assert LogKind.ROLE_REVOKED in kinds_logged(ward)


def test_revoking_a_role_nobody_holds_is_refused_at_once(ward, helper, other_helper):
    with pytest.raises(InvalidInput, match="does not hold"):
        propose(ward, helper, "revoke-role", role="welcomer", subject=other_helper)


def test_changing_a_setting_by_decision(ward, helper, other_helper, dispatcher):
    proposal = propose(
        ward, helper, "change-setting", setting_key="min_agrees", setting_value=" 2 "
    )
    agree(proposal, helper, other_helper, dispatcher)

    decide(proposal)

    assert ward.governance_settings.min_agrees == 2
    assert (
        "Agrees needed to pass" in LogEntry.objects.filter(kind="setting-changed").get().sentence()
    )
    # The next proposal is decided by the new rule.
    later = propose(ward, helper)
    agree(later, helper, other_helper)
    assert decide(later).status == ProposalStatus.PASSED


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("min_agrees", "zero", "whole number"),
        ("min_agrees", "0", "from 1 to 1000"),
        ("majority_percent", "50", "from 51 to 100"),
        ("decision_rule", "vote", "must be one of"),
        ("sms_number", "call me", "international form"),
        ("min_agrees", "3", "already"),
        ("colour", "red", "Unknown setting"),
    ],
)
def test_bad_setting_changes_are_refused_when_proposed(ward, helper, key, value, message):
    with pytest.raises(InvalidInput, match=message):
        propose(ward, helper, "change-setting", setting_key=key, setting_value=value)


def test_the_sms_number_is_stored_without_spaces(ward, helper, other_helper, dispatcher):
    proposal = propose(
        ward, helper, "change-setting", setting_key="sms_number", setting_value="+447700900123"
    )
    agree(proposal, helper, other_helper, dispatcher)
    decide(proposal)
    assert ward.governance_settings.sms_number == "+447700900123"


def test_adopting_and_amending_an_agreement(ward, helper, other_helper, dispatcher):
    adopt = propose(
        ward,
        helper,
        "agreement",
        agreement_title="Safer visits",
        agreement_text="Visit in pairs after dark.",
    )
    agree(adopt, helper, other_helper, dispatcher)
    decide(adopt)
    agreement = Agreement.objects.get()

    amend = propose(
        ward,
        other_helper,
        "agreement",
        agreement=agreement,
        agreement_text="Visit in pairs after dark, and text the group when home.",
    )
    agree(amend, helper, other_helper, dispatcher)
    decide(amend)

    agreement.refresh_from_db()
    versions = list(agreement.versions.order_by("number"))
    assert [(v.number, v.proposal) for v in versions] == [(1, adopt), (2, amend)]
    assert agreement.current_version == 2
    assert versions[1].text.endswith("when home.")


def test_two_amendments_of_the_same_version_the_second_is_not_carried_out(
    ward, helper, other_helper, dispatcher
):
    adopt = propose(ward, helper, "agreement", agreement_title="Rota", agreement_text="Weekly.")
    agree(adopt, helper, other_helper, dispatcher)
    decide(adopt)
    agreement = Agreement.objects.get()
    first = propose(ward, helper, "agreement", agreement=agreement, agreement_text="Daily.")
    second = propose(ward, helper, "agreement", agreement=agreement, agreement_text="Monthly.")
    agree(first, helper, other_helper, dispatcher)
    agree(second, helper, other_helper, dispatcher)

    decide(first)
    decided = decide(second)

    assert decided.effect_problem == "agreement-changed"
    assert list(agreement.versions.values_list("text", flat=True)) == ["Daily.", "Weekly."]


def test_proposing_the_current_text_is_refused(ward, helper, other_helper, dispatcher):
    adopt = propose(ward, helper, "agreement", agreement_title="Rota", agreement_text="Weekly.")
    agree(adopt, helper, other_helper, dispatcher)
    decide(adopt)
    agreement = Agreement.objects.get()

    with pytest.raises(InvalidInput, match="current text"):
        propose(ward, helper, "agreement", agreement=agreement, agreement_text="Weekly.")


def test_removing_a_member_who_is_told_and_can_answer(ward, helper, other_helper, dispatcher):
    fourth = member_of(ward, "sam")
    grant = propose(ward, helper, "grant-role", role="hotline", subject=fourth)
    agree(grant, helper, other_helper, dispatcher, fourth)
    decide(grant)

    with pytest.raises(InvalidInput, match="3 to 90"):
        propose(ward, helper, "remove-member", subject=fourth, days=2)
    removal = propose(ward, helper, "remove-member", subject=fourth, days=3)
    told = LogEntry.objects.get(kind=LogKind.REMOVAL_PROPOSED)
    assert told.subject == fourth
    assert "can answer in the proposal's comments" in told.sentence()

    with pytest.raises(NotAllowed, match="about you"):
        services.take_position(proposal=removal, member=fourth, stance="block", reason="Unfair")
    services.add_comment(proposal=removal, author=fourth, text="I was away; I am sorry.")
    agree(removal, helper, other_helper, dispatcher)
    decide(removal)

    assert not Membership.objects.filter(group=ward, user=fourth).exists()
    assert not policy.has_role(fourth, ward, Role.HOTLINE)
    assert fourth.role_terms.get().status == "left"
    assert LogKind.MEMBER_REMOVED in kinds_logged(ward)


def test_nobody_proposes_removing_themselves(ward, helper):
    with pytest.raises(InvalidInput, match="Leave the group"):
        propose(ward, helper, "remove-member", subject=helper)


def test_every_entry_is_announced_after_commit(
    ward, helper, other_helper, dispatcher, django_capture_on_commit_callbacks
):
    heard: list[str] = []

    def receiver(entry):
        heard.append(entry.kind)

    events.group_event.register(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            proposal = propose(ward, helper)
            assert heard == []  # nothing before the transaction commits
        with django_capture_on_commit_callbacks(execute=True):
            agree(proposal, helper, other_helper, dispatcher)
            decide(proposal)
    finally:
        events.group_event.unregister(receiver)

    assert heard == [LogKind.PROPOSAL_OPENED, LogKind.PROPOSAL_PASSED]


def test_a_failing_receiver_does_not_undo_the_decision(
    ward, helper, django_capture_on_commit_callbacks
):
    def broken(entry):
        raise RuntimeError("mail server down")

    events.group_event.register(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            propose(ward, helper)
    finally:
        events.group_event.unregister(broken)

    assert Proposal.objects.count() == 1


def test_close_proposal_before_the_deadline_does_nothing(ward, helper):
    proposal = propose(ward, helper)
    assert services.close_proposal(proposal_id=proposal.pk) is None
    deadline_passes(proposal)
    assert services.close_proposal(proposal_id=proposal.pk) == Verdict.NOT_PASSED


def test_the_task_runs_the_same_pass(ward, helper, other_helper, dispatcher):
    proposal = propose(ward, helper)
    agree(proposal, helper, other_helper, dispatcher)
    deadline_passes(proposal)

    first = run_due_task.enqueue()
    second = run_due_task.enqueue()

    assert first.return_value == {"decided": 1, "second_rounds": 0, "reminded": 0, "roles_ended": 0}
    assert second.return_value == {
        "decided": 0,
        "second_rounds": 0,
        "reminded": 0,
        "roles_ended": 0,
    }
