"""The permission matrix for taking an ask, through the API: who the group lets take it,
under each of its rules, and the bounds on everyone it lets. A refusal is 403 with a
`detail` saying what would let the person take the ask, never 200 or 409."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from mutua.aid.models import Ask, Claim
from mutua.aid.services import claim_ask, release_ask
from mutua.core import geo
from mutua.core.tests.factories import HACKNEY, UserFactory, hold_role, make_ask, trusted
from mutua.governance import services as governance
from mutua.governance.models import RoleTerm
from mutua.governance.tests.factories import set_rules
from mutua.groups.models import Group
from mutua.groups.services import join_group
from mutua.people.models import User
from mutua.people.services import issue_token
from mutua.privacy.models import Block

pytestmark = pytest.mark.django_db


def claim(client: Client, ask: Ask, user: User) -> Any:
    token = issue_token(user=user)
    return client.post(f"/api/v1/asks/{ask.pk}/claim", headers={"Authorization": f"Bearer {token}"})


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def member(group: Group, *, verify: bool = True) -> User:
    user = UserFactory.create()
    join_group(group=group, user=user)
    return verified(user) if verify else user


def vouched(group: Group, user: User, *givers: User) -> User:
    for giver in givers:
        governance.give_trust(group=group, giver=giver, receiver=user, role="helper")
    return user


@pytest.fixture
def personas(ward: Group, helper: User, other_helper: User, outsider: User) -> dict[str, User]:
    """Everyone the matrix speaks of, in the ward that takes asks around Hackney."""
    verified(outsider)
    founder = verified(UserFactory.create(email="founder@example.org"))
    governance.found_group(
        founder=founder, name="Mare Street Corner", cells=geo.disk(*HACKNEY, 0.2, resolution=9)
    )
    expired = member(ward, verify=False)
    hold_role(ward, expired, "helper")
    RoleTerm.objects.filter(holder=expired).update(
        starts_at=timezone.now() - timedelta(days=100), ends_at=timezone.now() - timedelta(days=1)
    )
    blocked = vouched(ward, member(ward), helper, other_helper)
    named = member(ward, verify=False)
    hold_role(ward, named, "helper")
    return {
        "outsider": outsider,
        "new member": member(ward, verify=False),
        "verified member": member(ward),
        "trusted member": vouched(ward, member(ward), helper, other_helper),
        "role holder": named,
        "founder of an overlapping new group": founder,
        "expired role holder": expired,
        "blocked helper": blocked,
    }


ALLOWED = {
    "members": {"verified member", "trusted member", "role holder"},
    "trusted": {"trusted member", "role holder"},
    "role": {"role holder"},
}


@pytest.mark.parametrize("rule", ["members", "trusted", "role"])
def test_the_permission_matrix(client, ward, personas, asker, rule):
    set_rules(ward, who_may_take=rule)
    Block.objects.create(blocker=asker, blocked=personas["blocked helper"])

    for name, person in personas.items():
        ask = make_ask(asker=asker)
        response = claim(client, ask, person)

        if name in ALLOWED[rule]:
            assert response.status_code == 200, (name, response.content)
        else:
            assert response.status_code == 403, (name, response.status_code)
            assert response.json()["detail"], name
            ask.refresh_from_db()
            assert ask.status == "open", name
    assert not Claim.objects.filter(helper=personas["blocked helper"]).exists()


def test_each_refusal_says_what_would_let_the_person_take_the_ask(client, ward, personas, helper):
    def detail(person: User) -> str:
        return str(claim(client, make_ask(), person).json()["detail"])

    assert "Join the group" in detail(personas["outsider"])
    assert "verify your e-mail address" in detail(personas["new member"])
    waiting = vouched(ward, member(ward), helper)
    assert "you need 2 trusted members to vouch for you" in detail(waiting)
    assert "(you have 1 so far)" in detail(waiting)
    set_rules(ward, role_categories="check-in")
    check_in = str(
        claim(client, make_ask(category="check-in"), personas["trusted member"]).json()["detail"]
    )
    assert "trusted helpers it names by a decision" in check_in


def test_a_group_makes_some_kinds_of_help_stricter(client, ward, personas):
    set_rules(ward, who_may_take="members", trusted_categories="check-in,childcare")
    someone = personas["verified member"]

    assert claim(client, make_ask(category="check-in"), someone).status_code == 403
    assert claim(client, make_ask(category="groceries"), someone).status_code == 200
    assert (
        claim(client, make_ask(category="childcare"), personas["trusted member"]).status_code == 200
    )


def test_a_member_of_a_group_containing_the_asks_group_may_take_it(client):
    from mutua.core.tests.factories import make_group

    network = make_group(name="Hackney", radius_km=4, kind="network")
    ward = make_group(name="Mare Street", radius_km=1, parent=network)
    sam = trusted(network, UserFactory.create())

    ask = make_ask()

    assert ask.group == ward
    assert claim(client, ask, sam).status_code == 200


def test_nobody_takes_an_ask_no_group_covers(client, helper):
    lost = make_ask(lat=53.7997, lon=-1.5492)

    response = claim(client, lost, helper)

    assert lost.group is None
    assert response.status_code == 403
    assert "No group covers" in response.json()["detail"]


def test_a_helper_holds_at_most_m_open_claims_in_a_group(client, ward, helper):
    set_rules(ward, max_open_claims=2)
    asks = [make_ask() for _ in range(3)]

    assert [claim(client, a, helper).status_code for a in asks] == [200, 200, 403]
    assert "Finish or release one first" in claim(client, asks[2], helper).json()["detail"]


def test_releasing_after_seeing_details_too_often_pauses_claiming_until_safeguarding_restores(
    client, ward, helper, dispatcher
):
    set_rules(ward, max_releases=2)
    hold_role(ward, dispatcher, "safeguarding")
    client.force_login(helper)
    # Giving back an ask before seeing anything does not count.
    for _ in range(3):
        unseen = make_ask()
        release_ask(ask=claim_ask(ask=unseen, helper=helper).ask, helper=helper)
    for _ in range(3):
        ask = make_ask()
        client.post(f"/asks/{ask.pk}/claim/")
        assert "12 Example Road" in client.get(f"/asks/{ask.pk}/").content.decode()
        client.post(f"/asks/{ask.pk}/release/")

    paused = claim(client, make_ask(), helper)
    assert paused.status_code == 403
    assert "Your claiming in Hackney Central is paused" in paused.json()["detail"]
    page = client.post(f"/asks/{make_ask().pk}/claim/", follow=True).content.decode()
    assert "is paused" in page

    client.force_login(dispatcher)
    reports = client.get(f"/groups/{ward.slug}/reports/").content.decode()
    assert helper.display_name in reports.split("Claiming paused")[1]
    client.post(f"/groups/{ward.slug}/paused/{helper.pk}/restore/")

    assert claim(client, make_ask(), helper).status_code == 200


def test_a_decision_of_the_group_restores_paused_claiming(client, ward, helper, other_helper):
    from mutua.governance.tests.factories import agree, decide, propose

    set_rules(ward, max_releases=0)
    client.force_login(helper)
    ask = make_ask()
    client.post(f"/asks/{ask.pk}/claim/")
    client.get(f"/asks/{ask.pk}/")
    client.post(f"/asks/{ask.pk}/release/")
    assert claim(client, make_ask(), helper).status_code == 403
    third = trusted(ward, UserFactory.create())

    restore = propose(ward, other_helper, "restore-claiming", subject=helper)
    agree(restore, helper, other_helper, third)
    decide(restore)

    assert claim(client, make_ask(), helper).status_code == 200
