"""Roles: the founder's bootstrap term, trust reaching a threshold, expiry, leaving, and
the one policy check every app uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.core import geo
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.tests.factories import HACKNEY
from mutua.governance import policy, services
from mutua.governance.models import SENSITIVE_ROLES, LogEntry, LogKind, Role, RoleTerm, Trust
from mutua.governance.tests.factories import agree, decide, member_of, propose, set_rules
from mutua.groups import services as group_services
from mutua.groups.models import Group, Membership

pytestmark = pytest.mark.django_db

CELLS = geo.disk(HACKNEY[0], HACKNEY[1], 1, resolution=8)


def found(founder, name="Dalston Mutual Aid"):
    return services.found_group(founder=founder, name=name, cells=CELLS)


def test_a_founder_holds_only_the_welcome_and_only_for_the_bootstrap_term(outsider, settings):
    settings.MUTUA_BOOTSTRAP_DAYS = 10
    group = found(outsider)

    assert Membership.objects.filter(group=group, user=outsider).exists()
    terms = RoleTerm.objects.filter(group=group, holder=outsider)
    assert list(terms.values_list("role", "source")) == [("welcomer", "bootstrap")]
    end = timezone.now() + timedelta(days=10)
    assert all(abs(t.ends_at - end) < timedelta(minutes=1) for t in terms)
    assert policy.has_role(outsider, group, Role.WELCOMER)
    assert not policy.has_role(outsider, group, Role.WELCOMER, at=end + timedelta(minutes=1))
    # Nothing that sees an asker's contact or a waiting text comes from founding.
    for role in SENSITIVE_ROLES:
        assert not policy.has_role(outsider, group, role)
        assert not policy.may_act_as(outsider, group, role)
    assert not policy.has_role(outsider, group, Role.TREASURER)
    assert LogEntry.objects.filter(group=group, kind=LogKind.ROLE_GRANTED).count() == 1


def test_founding_with_a_bad_area_or_a_reserved_name_saves_nothing(outsider):
    with pytest.raises(InvalidInput):
        services.found_group(founder=outsider, name="Dalston", cells=["not-a-cell"])
    with pytest.raises(InvalidInput, match="another name"):
        found(outsider, name="New")
    assert not Group.objects.exists()
    assert not RoleTerm.objects.exists()


def test_roles_expire_and_the_pass_records_it_once(outsider):
    group = found(outsider)
    end = RoleTerm.objects.filter(group=group).earliest("ends_at").ends_at

    # Past its end a role no longer counts, even before the pass has run.
    assert not policy.has_role(outsider, group, Role.WELCOMER, at=end)
    first = services.run_due(now=end)
    second = services.run_due(now=end + timedelta(hours=1))

    assert (first.roles_ended, second.roles_ended) == (1, 0)
    assert set(RoleTerm.objects.values_list("status", flat=True)) == {"expired"}
    assert LogEntry.objects.filter(kind=LogKind.ROLE_EXPIRED).count() == 1
    assert "has ended" in LogEntry.objects.filter(kind=LogKind.ROLE_EXPIRED)[0].sentence()


def test_leaving_the_group_ends_a_role_at_once(outsider):
    group = found(outsider)
    group_services.leave_group(group=group, user=outsider)

    assert not policy.has_role(outsider, group, Role.WELCOMER)
    assert services.run_due().roles_ended == 1
    assert set(RoleTerm.objects.values_list("status", flat=True)) == {"left"}


def test_require_role_refuses_with_a_reason(ward, helper):
    with pytest.raises(NotAllowed, match="Dispatcher"):
        policy.require_role(helper, ward, Role.DISPATCHER)
    assert not policy.has_role(None, ward, Role.DISPATCHER)


def test_trust_from_enough_members_grants_the_role_for_one_term(ward, helper):
    set_rules(ward, trust_welcomer=3, role_term_days=60)
    givers = [member_of(ward, name) for name in ("ana", "ben", "cy")]

    services.give_trust(group=ward, giver=givers[0], receiver=helper, role="welcomer")
    services.give_trust(group=ward, giver=givers[1], receiver=helper, role="welcomer")
    assert not policy.has_role(helper, ward, Role.WELCOMER)
    last = services.give_trust(group=ward, giver=givers[2], receiver=helper, role="welcomer")

    assert policy.has_role(helper, ward, Role.WELCOMER)
    term = RoleTerm.objects.get(holder=helper, role="welcomer")
    assert term.source == "trust"
    assert timedelta(days=59) < term.ends_at - timezone.now() <= timedelta(days=60)
    assert last.term == term
    assert not Trust.objects.filter(spent_at__isnull=True).exists()

    # The trust is spent: once the term is over the role needs fresh trust.
    services.run_due(now=term.ends_at)
    assert not policy.has_role(helper, ward, Role.WELCOMER)
    services.give_trust(
        group=ward, giver=givers[0], receiver=helper, role="welcomer", now=term.ends_at
    )
    assert RoleTerm.objects.filter(holder=helper, role="welcomer").count() == 1


def test_trust_withdrawn_or_from_people_who_left_does_not_count(ward, helper):
    set_rules(ward, trust_welcomer=2)
    ana, ben = member_of(ward, "ana"), member_of(ward, "ben")

    services.give_trust(group=ward, giver=ana, receiver=helper, role="welcomer")
    assert services.withdraw_trust(group=ward, giver=ana, receiver=helper, role="welcomer") == 1
    services.give_trust(group=ward, giver=ana, receiver=helper, role="welcomer")
    group_services.leave_group(group=ward, user=ana)
    services.give_trust(group=ward, giver=ben, receiver=helper, role="welcomer")

    assert not policy.has_role(helper, ward, Role.WELCOMER)


@pytest.mark.parametrize("role", ["treasurer", "safeguarding"])
def test_money_and_safeguarding_are_by_decision_unless_the_group_changes_that(
    ward, helper, other_helper, role
):
    with pytest.raises(InvalidInput, match="only a decision"):
        services.give_trust(group=ward, giver=other_helper, receiver=helper, role=role)
    assert not Trust.objects.exists()


def test_trust_refusals(ward, helper, other_helper, outsider):
    with pytest.raises(InvalidInput, match="someone else"):
        services.give_trust(group=ward, giver=helper, receiver=helper, role="welcomer")
    with pytest.raises(InvalidInput, match="member"):
        services.give_trust(group=ward, giver=helper, receiver=outsider, role="welcomer")
    with pytest.raises(NotAllowed):
        services.give_trust(group=ward, giver=outsider, receiver=helper, role="welcomer")
    with pytest.raises(InvalidInput, match="Unknown role"):
        services.give_trust(group=ward, giver=helper, receiver=other_helper, role="boss")
    services.give_trust(group=ward, giver=helper, receiver=other_helper, role="welcomer")
    with pytest.raises(Conflict, match="already trust"):
        services.give_trust(group=ward, giver=helper, receiver=other_helper, role="welcomer")
    assert Trust.objects.count() == 1


def test_no_trust_for_a_role_already_held(ward, helper, other_helper, dispatcher):
    grant = propose(ward, helper, "grant-role", role="welcomer", subject=other_helper)
    agree(grant, helper, other_helper, dispatcher)
    decide(grant)

    with pytest.raises(Conflict, match="already holds"):
        services.give_trust(group=ward, giver=helper, receiver=other_helper, role="welcomer")


def test_a_new_grant_renews_a_role_held(ward, helper, other_helper, dispatcher):
    for _ in range(2):
        grant = propose(ward, helper, "grant-role", role="hotline", subject=dispatcher)
        agree(grant, helper, other_helper, dispatcher)
        decide(grant)

    terms = RoleTerm.objects.filter(holder=dispatcher, role="hotline").order_by("pk")
    assert [t.status for t in terms] == ["renewed", "active"]
    assert policy.has_role(dispatcher, ward, Role.HOTLINE)


def test_the_founder_is_outvoted_like_anyone(outsider):
    group = found(outsider)
    set_rules(group, min_agrees=2)
    friends = [member_of(group, name) for name in ("ana", "ben")]
    proposal = propose(group, friends[0], "revoke-role", role="welcomer", subject=outsider)
    agree(proposal, *friends)
    services.take_position(proposal=proposal, member=outsider, stance="disagree")

    decide(proposal)

    assert not policy.has_role(outsider, group, Role.WELCOMER)
