"""Handing an ask on across a link, from the sending side (the other server is down:
what is sent stays queued, and nothing leaves the machine)."""

from __future__ import annotations

import pytest

from mutua.aid.models import AskEvent, AskStatus
from mutua.core.tests.factories import make_ask
from mutua.federation import crypto
from mutua.federation.models import HandOn, MessageStatus, Outcome, Outgoing, Side
from mutua.federation.services import deliver_due
from mutua.federation.services.erasure import forget_ask
from mutua.federation.services.handon import receive_outcome
from mutua.federation.tests.test_inbox import make_link
from mutua.people.services import issue_token
from mutua.privacy.models import AccessLog


@pytest.fixture(autouse=True)
def _loopback_peer(settings) -> None:
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    settings.MUTUA_PUBLIC_URL = "http://testserver"


@pytest.fixture
def peer_keys():
    return crypto.new_key_pair()


def hand_on(client, user, ask, link):
    token = issue_token(user=user)
    return client.post(
        "/api/v1/federation/hand-ons",
        data={"ask": ask.pk, "link": link.pk},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_dispatcher_hands_an_ask_on_sealed_to_the_other_server(
    client, ward, dispatcher, peer_keys, django_capture_on_commit_callbacks
):
    link = make_link(peer_keys)
    ask = make_ask()

    with django_capture_on_commit_callbacks(execute=True):
        response = hand_on(client, dispatcher, ask, link)

    assert response.status_code == 201, response.json()
    assert response.json()["outcome"] == Outcome.SENT
    ask.refresh_from_db()
    assert ask.status == AskStatus.HANDED_ON
    assert AskEvent.Kind.HANDED_ON in ask.events.values_list("kind", flat=True)
    log = AccessLog.objects.get(ask=ask)
    assert (log.reason, log.channel, log.viewer) == ("linked-server", "federation", dispatcher)
    message = Outgoing.objects.get(link=link, kind="hand-on")
    # The other server is down: kept, to be retried.
    assert message.status == MessageStatus.PENDING and message.next_attempt_at is not None
    sealed = message.payload["ask"]["sealed"]
    assert ask.contact_phone not in str(message.payload)
    opened = crypto.open_sealed(
        sealed, box_private=peer_keys.box_private, box_public=peer_keys.box_public
    )
    assert opened["contact_phone"] == ask.contact_phone
    assert opened["what"] == ask.what


def test_only_dispatchers_and_only_over_an_active_link(client, ward, helper, dispatcher, peer_keys):
    ask = make_ask()
    active = make_link(peer_keys)

    assert hand_on(client, helper, ask, active).status_code == 403
    active.theirs = Side.PENDING
    active.save()
    assert hand_on(client, dispatcher, ask, active).status_code == 403
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN
    assert not AccessLog.objects.exists()


def test_a_returned_ask_is_open_here_again_and_a_done_one_done(client, ward, dispatcher, peer_keys):
    link = make_link(peer_keys)
    first, second = make_ask(), make_ask()
    hand_on(client, dispatcher, first, link)
    hand_on(client, dispatcher, second, link)
    crossings = {h.ask_id: str(h.crossing_id) for h in HandOn.objects.all()}

    receive_outcome(link=link, message={"crossing": crossings[first.pk], "outcome": "returned"})
    receive_outcome(link=link, message={"crossing": crossings[second.pk], "outcome": "taken"})
    receive_outcome(link=link, message={"crossing": crossings[second.pk], "outcome": "done"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == AskStatus.OPEN
    assert AskEvent.Kind.RETURNED in first.events.values_list("kind", flat=True)
    assert second.status == AskStatus.DONE
    path = client.get(
        f"/api/v1/federation/hand-ons/{second.pk}",
        headers={"Authorization": f"Bearer {issue_token(user=dispatcher)}"},
    ).json()
    assert [step["outcome"] for step in path["items"]] == ["done"]


def test_purging_the_ask_drops_details_still_waiting_to_be_sent(
    client, ward, dispatcher, peer_keys
):
    link = make_link(peer_keys)
    ask = make_ask()
    hand_on(client, dispatcher, ask, link)

    forget_ask(ask)

    message = Outgoing.objects.get(link=link, kind="hand-on")
    assert message.payload["ask"]["sealed"] == ""


def test_a_refusal_by_the_other_server_brings_the_ask_back(
    client, ward, dispatcher, peer_keys, monkeypatch
):
    from mutua.core import outbound

    link = make_link(peer_keys)
    ask = make_ask()
    hand_on(client, dispatcher, ask, link)
    monkeypatch.setattr(
        outbound, "post", lambda *a, **k: outbound.Response(status=403, body=b"refused link")
    )

    deliver_due(everything=True)

    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN
    message = Outgoing.objects.get(link=link, kind="hand-on")
    assert message.status == MessageStatus.FAILED
    assert message.payload["ask"]["sealed"] == ""
