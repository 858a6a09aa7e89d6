"""Establishment and trust: founding a group grants nothing that sees anyone's details,
a new group receives routed asks only once members hold trust and the groups it overlaps
agreed, and helper trust comes only from members the group already trusts."""

from __future__ import annotations

import pytest

from mutua.core import geo
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.core.tests.factories import (
    HACKNEY,
    UserFactory,
    hold_role,
    make_ask,
    make_group,
    trusted,
)
from mutua.governance import policy, selectors, services
from mutua.governance.models import LogEntry, LogKind, Role
from mutua.governance.tests.factories import agree, decide, member_of, propose, set_rules
from mutua.groups.selectors import smallest_group_covering
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db

CROYDON = (51.3762, -0.0982)


def tiny_group_over_hackney(founder):
    """What the attack looks like: a 0.2 km group founded over an established ward."""
    return services.found_group(
        founder=founder, name="Mare Street Corner", cells=geo.disk(*HACKNEY, 0.2, resolution=9)
    )


@pytest.fixture
def helper(ward):
    return trusted(ward, UserFactory.create(email="helper@example.org"))


@pytest.fixture
def other_helper(ward):
    return trusted(ward, UserFactory.create(email="other-helper@example.org"))


def test_a_tiny_group_founded_over_an_established_one_does_not_divert_its_asks(
    ward, helper, other_helper, dispatcher, outsider
):
    hijack = tiny_group_over_hackney(outsider)
    puppets = [member_of(hijack, name) for name in ("pup1", "pup2")]

    assert make_ask().group == ward
    # Accounts made for the occasion cannot vouch for one another...
    with pytest.raises(NotAllowed, match="already trusts"):
        services.give_trust(group=hijack, giver=puppets[0], receiver=outsider, role="helper")
    # ...and even with K trusted members, the ward has not agreed to share its streets.
    for person in (outsider, *puppets):
        trusted(hijack, person)
    hijack.refresh_from_db()

    assert not hijack.is_established
    assert make_ask().group == ward
    assert smallest_group_covering(*HACKNEY) == ward

    # The ward decides to share the area: from then on the corner's asks go to it.
    agreement = propose(ward, helper, "agree-area", other_group=hijack)
    agree(agreement, helper, other_helper, dispatcher)
    decide(agreement)
    hijack.refresh_from_db()

    assert hijack.is_established
    assert make_ask().group == hijack
    assert LogEntry.objects.filter(group=hijack, kind=LogKind.GROUP_ESTABLISHED).count() == 1
    shared = LogEntry.objects.get(group=ward, kind=LogKind.AREA_AGREED)
    assert "Mare Street Corner" in shared.sentence()


def test_a_group_in_new_territory_is_established_once_k_members_are_trusted(outsider, settings):
    settings.MUTUA_ESTABLISH_TRUSTED = 3
    croydon = services.found_group(
        founder=outsider, name="Croydon", cells=geo.disk(*CROYDON, 1, resolution=8)
    )
    lat, lon = CROYDON

    assert make_ask(lat=lat, lon=lon).group is None
    first, second = member_of(croydon, "ana"), member_of(croydon, "ben")
    trusted(croydon, outsider)
    trusted(croydon, first)
    assert make_ask(lat=lat, lon=lon).group is None
    # A trusted member vouches; with trust from two members, a third is trusted.
    set_rules(croydon, trust_to_take=2)
    services.give_trust(group=croydon, giver=outsider, receiver=second, role="helper")
    assert not policy.is_trusted(second, croydon)
    services.give_trust(group=croydon, giver=first, receiver=second, role="helper")

    assert policy.is_trusted(second, croydon)
    croydon.refresh_from_db()
    assert croydon.is_established
    assert make_ask(lat=lat, lon=lon).group == croydon


def test_helper_trust_from_people_who_left_or_withdrew_no_longer_counts(ward, helper, other_helper):
    newcomer = member_of(ward, "newcomer")
    services.give_trust(group=ward, giver=helper, receiver=newcomer, role="helper")
    services.give_trust(group=ward, giver=other_helper, receiver=newcomer, role="helper")
    assert policy.is_trusted(newcomer, ward)

    services.withdraw_trust(group=ward, giver=helper, receiver=newcomer, role="helper")

    assert not policy.is_trusted(newcomer, ward)


def test_the_group_decides_who_may_take_its_asks_by_proposal_only(ward, helper, other_helper):
    dispatcher = trusted(ward, UserFactory.create())
    with pytest.raises(InvalidInput, match="must be one of"):
        propose(ward, helper, "change-setting", setting_key="who_may_take", setting_value="all")
    with pytest.raises(InvalidInput, match="Unknown kind of help"):
        propose(
            ward,
            helper,
            "change-setting",
            setting_key="trusted_categories",
            setting_value="check-in,knitting",
        )
    stricter = propose(
        ward,
        helper,
        "change-setting",
        setting_key="trusted_categories",
        setting_value="childcare, check-in",
    )
    opener = propose(
        ward, helper, "change-setting", setting_key="who_may_take", setting_value="members"
    )
    for proposal in (stricter, opener):
        agree(proposal, helper, other_helper, dispatcher)
        decide(proposal)

    row = selectors.group_settings(ward)
    assert row.who_may_take == "members"
    # Written in one order whatever order they were typed in.
    assert row.trusted_categories == "childcare,check-in"
    assert row.take_rule("groceries") == "members"
    assert row.take_rule("check-in") == "trusted"
    changed = LogEntry.objects.filter(kind=LogKind.SETTING_CHANGED).first()
    assert changed is not None
    assert "members with a verified e-mail or a linked phone" in changed.sentence()


def test_the_group_page_and_the_api_say_who_may_take_asks(client, ward, outsider):
    new = tiny_group_over_hackney(outsider)

    page = client.get(f"/groups/{new.slug}/").content.decode()
    body = client.get(f"/api/v1/groups/{new.slug}").json()
    ward_body = client.get(f"/api/v1/groups/{ward.slug}").json()

    assert "Who may take asks" in page
    assert "members trusted by other members (trust from 2 members)" in page
    assert "not yet: 0 of 3 members are trusted with asks" in page
    assert "waiting for Hackney Central to agree to share the area" in page
    assert body["who_may_take"] == "trusted"
    assert body["trust_to_take"] == 2
    assert body["established"] is False
    assert ward_body["established"] is True


def test_members_see_roles_until_when_and_the_trust_each_member_holds(
    client, ward, helper, dispatcher, new_member, outsider
):
    hold_role(ward, dispatcher, Role.DISPATCHER)
    services.give_trust(group=ward, giver=helper, receiver=new_member, role="helper")
    member_token = issue_token(user=new_member)
    outsider_token = issue_token(user=outsider)

    body = client.get(
        f"/api/v1/groups/{ward.slug}/roles", headers={"Authorization": f"Bearer {member_token}"}
    ).json()
    refused = client.get(
        f"/api/v1/groups/{ward.slug}/roles", headers={"Authorization": f"Bearer {outsider_token}"}
    )
    anonymous = client.get(f"/api/v1/groups/{ward.slug}/roles")

    held = {(r["role"], r["holder"], r["source"]) for r in body["roles"]}
    assert ("dispatcher", dispatcher.display_name, "proposal") in held
    assert ("helper", helper.display_name, "operator") in held
    assert all(r["ends_at"] > r["starts_at"] for r in body["roles"])
    assert "hotline" in body["unheld"]
    members = {m["name"]: m for m in body["members"]}
    assert members[new_member.display_name] == {
        "name": new_member.display_name,
        "trust": {"helper": 1},
        "trusted": False,
    }
    assert members[helper.display_name]["trusted"] is True
    assert (body["who_may_take"], body["trust_to_take"]) == ("trusted", 2)
    assert refused.status_code == 403
    assert "Only members" in refused.json()["detail"]
    assert anonymous.status_code == 401


def test_a_parent_groups_dispatcher_dispatches_a_child_only_if_the_child_granted_it(client):
    network = make_group(name="Hackney", radius_km=4, kind="network")
    child = make_group(name="Mare Street", radius_km=1, parent=network)
    sam = trusted(network, UserFactory.create())
    hold_role(network, sam, Role.DISPATCHER)
    trusted(child, sam)
    client.force_login(sam)

    assert client.get(f"/groups/{network.slug}/dispatch/").status_code == 200
    assert client.get(f"/groups/{child.slug}/dispatch/").status_code == 403
    assert not policy.may_dispatch(sam, child)
    set_rules(child, parent_dispatch="yes")
    assert client.get(f"/groups/{child.slug}/dispatch/").status_code == 200


def test_members_propose_sharing_their_area_with_a_new_group_from_its_page(
    client, ward, helper, outsider
):
    corner = tiny_group_over_hackney(outsider)
    client.force_login(helper)

    form = client.get(f"/groups/{ward.slug}/proposals/new/agree-area/").content.decode()
    response = client.post(
        f"/groups/{ward.slug}/proposals/new/agree-area/",
        {
            "title": "Let the corner group help",
            "text": "They know the flats.",
            "days": "7",
            "other_group": str(corner.pk),
        },
        follow=True,
    )

    assert "Mare Street Corner" in form
    assert response.status_code == 200
    assert "may take asks in the streets it shares with this group" in response.content.decode()
    roles = client.get(f"/groups/{ward.slug}/roles/").content.decode()
    assert "Who may take asks" in roles
    assert helper.display_name in roles.split("Trusted with asks now:")[1]
