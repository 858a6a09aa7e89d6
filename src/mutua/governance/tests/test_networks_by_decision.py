"""A group joins a network, and leaves it, by its own decision; the network page follows."""

from __future__ import annotations

import pytest

from mutua.core.errors import InvalidInput
from mutua.core.tests.factories import make_ask, make_group
from mutua.governance.models import LogEntry, LogKind, ProposalStatus
from mutua.governance.tests.factories import agree, decide, propose
from mutua.groups.models import Group

HACKNEY = (51.5450, -0.0553)


@pytest.fixture
def network(db) -> Group:
    return make_group(name="Hackney Network", kind="network", radius_km=6)


def test_members_propose_joining_a_network_from_the_group_page(client, ward, helper, network):
    client.force_login(helper)

    form = client.get(f"/groups/{ward.slug}/proposals/new/join-network/").content.decode()
    response = client.post(
        f"/groups/{ward.slug}/proposals/new/join-network/",
        {
            "title": "Join the borough network",
            "text": "They coordinate the food bank runs.",
            "days": "7",
            "other_group": str(network.pk),
        },
        follow=True,
    )

    assert "Hackney Network" in form
    assert response.status_code == 200
    assert "If it passes, this group sits inside Hackney Network" in response.content.decode()
    ward.refresh_from_db()
    assert ward.parent is None  # nothing changes before the group decides


def test_joining_takes_effect_when_it_passes_and_shows_on_the_network_page(
    client, ward, helper, network
):
    make_ask(lat=HACKNEY[0], lon=HACKNEY[1])
    proposal = propose(ward, helper, "join-network", other_group=network)
    agree(proposal, helper)

    assert decide(proposal).status == ProposalStatus.PASSED

    ward.refresh_from_db()
    assert ward.parent == network
    entry = LogEntry.objects.get(group=ward, kind=LogKind.JOINED_NETWORK)
    assert "joined the network Hackney Network" in entry.sentence()
    page = client.get(f"/groups/{network.slug}/network/").content.decode()
    assert f'data-group="{ward.slug}"' in page


def test_a_group_leaves_its_network_the_same_way(ward, helper, network):
    Group.objects.filter(pk=ward.pk).update(parent=network)
    ward.refresh_from_db()
    proposal = propose(ward, helper, "leave-network")
    agree(proposal, helper)

    decide(proposal)

    ward.refresh_from_db()
    assert ward.parent is None
    assert LogEntry.objects.filter(group=ward, kind=LogKind.LEFT_NETWORK).exists()


def test_a_proposal_that_does_not_pass_changes_nothing(ward, helper, network):
    proposal = propose(ward, helper, "join-network", other_group=network)

    assert decide(proposal).status == ProposalStatus.NOT_PASSED
    ward.refresh_from_db()
    assert ward.parent is None


def test_only_a_wider_group_outside_this_one_can_be_joined(ward, helper, network):
    street = make_group(name="Mare Street", kind="street", radius_km=0.3, parent=ward)

    with pytest.raises(InvalidInput, match="not a wider group"):
        propose(ward, helper, "join-network", other_group=street)
    with pytest.raises(InvalidInput, match="Choose the network"):
        propose(ward, helper, "join-network", other_group=ward)
    with pytest.raises(InvalidInput, match="not part of a network"):
        propose(ward, helper, "leave-network")
    Group.objects.filter(pk=network.pk).update(parent=ward, kind="network")
    network.refresh_from_db()
    with pytest.raises(InvalidInput, match="is inside this group"):
        propose(ward, helper, "join-network", other_group=network)
