"""Aggregate counts across a link: each side sends the other its linked group's figures
(never an ask, a place or a person), kept on the link and shown with it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mutua.aid import services as aid_services
from mutua.core.tests.factories import make_ask
from mutua.federation.models import Link, Outgoing, Side
from mutua.federation.services import send_figures
from mutua.federation.tests.test_inbox import make_link, post, signed
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db

THEIRS = {
    "open": 14,
    "claimed": 6,
    "done": 310,
    "groups": 5,
    "needing_helpers": 2,
    "oldest_wait_hours": 30,
}


@pytest.fixture(autouse=True)
def _loopback_peer(settings) -> None:
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    settings.MUTUA_PUBLIC_URL = "http://testserver"


@pytest.fixture
def peer_keys():
    from mutua.federation import crypto

    return crypto.new_key_pair()


def test_the_linked_groups_figures_are_sent_and_nothing_personal(ward, helper, peer_keys):
    link = make_link(peer_keys)
    link.group = ward
    link.save()
    asks = [make_ask() for _ in range(3)]
    aid_services.claim_ask(ask=asks[0], helper=helper)

    assert send_figures() == 1

    message = Outgoing.objects.get(link=link, kind="figures")
    sent = message.payload["figures"]
    assert (sent["open"], sent["claimed"], sent["done"], sent["groups"]) == (2, 1, 0, 1)
    text = str(message.payload)
    for ask in asks:
        assert ask.what not in text and ask.contact_phone not in text
        assert ask.area_name not in text


def test_no_figures_over_a_link_not_agreed_on_both_sides(ward, peer_keys):
    link = make_link(peer_keys, theirs=Side.PENDING)
    link.group = ward
    link.save()

    assert send_figures() == 0
    assert not Outgoing.objects.filter(kind="figures").exists()


def test_figures_received_are_kept_and_shown_with_the_link(client, ward, dispatcher, peer_keys):
    link = make_link(peer_keys)
    link.group = ward
    link.save()

    answer = post(client, *signed(peer_keys, {"type": "figures", "figures": THEIRS}))

    assert answer.status_code == 202, answer.json()
    link.refresh_from_db()
    assert link.their_figures == THEIRS and link.figures_at is not None
    listed = client.get(
        "/api/v1/federation/links",
        headers={"Authorization": f"Bearer {issue_token(user=dispatcher)}"},
    ).json()["items"]
    assert listed[0]["their_figures"] == THEIRS
    page = client.get(f"/groups/{ward.slug}/").content.decode()
    assert "Linked with Peer" in page and "14 open asks, 6 taken, 310 done" in page


@pytest.mark.parametrize(
    "figures",
    [
        {**THEIRS, "open": "14"},
        {**THEIRS, "done": -1},
        {k: v for k, v in THEIRS.items() if k != "claimed"},
        "many",
    ],
)
def test_figures_that_are_not_whole_counts_are_refused(client, ward, peer_keys, figures):
    make_link(peer_keys)

    answer = post(client, *signed(peer_keys, {"type": "figures", "figures": figures}))

    assert answer.status_code == 422
    assert Link.objects.get().their_figures == {}


def test_the_command_line_lists_the_figures(ward, peer_keys, capsys):
    link = make_link(peer_keys)
    link.their_figures = THEIRS
    link.save()
    from django.utils import timezone

    Link.objects.filter(pk=link.pk).update(figures_at=timezone.now())

    call_command("federation", "list")

    assert "their asks: 14 open, 6 taken, 310 done" in capsys.readouterr().out
