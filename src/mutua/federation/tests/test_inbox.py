"""The signed inbox, from the receiving side: what it accepts, what it refuses and logs."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from mutua.aid.models import Ask, AskStatus
from mutua.core.tests.factories import HACKNEY, UserFactory, trusted
from mutua.federation import crypto
from mutua.federation.models import (
    EventKind,
    FederationEvent,
    HandOn,
    Link,
    MessageStatus,
    Outcome,
    Outgoing,
    Side,
)
from mutua.federation.services import server_keys

INBOX = "http://testserver/api/v1/federation/inbox"
# The other server is on loopback, on a port nobody listens on: what this server sends it
# (an outcome) fails to connect at once and stays queued, and nothing leaves the machine.
PEER_URL = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def _loopback_peer(settings) -> None:
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    settings.MUTUA_PUBLIC_URL = "http://testserver"


@pytest.fixture
def peer_keys() -> crypto.KeyPair:
    return crypto.new_key_pair()


def make_link(keys: crypto.KeyPair, *, ours: str = Side.AGREED, theirs: str = Side.AGREED) -> Link:
    return Link.objects.create(
        url=PEER_URL,
        name="Peer",
        key_id=crypto.key_id(keys.signing_public),
        signing_key=keys.signing_public,
        box_key=keys.box_public,
        inbox=PEER_URL + "/api/v1/federation/inbox",
        pinned_at=timezone.now(),
        ours=ours,
        theirs=theirs,
    )


def signed(
    keys: crypto.KeyPair, message: dict[str, Any], *, created=None
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"from": PEER_URL, "id": str(uuid.uuid4()), **message}).encode()
    headers = crypto.sign(
        url=INBOX,
        body=body,
        signing_private=keys.signing_private,
        signing_public=keys.signing_public,
        created=created,
    )
    return body, headers


def post(client, body: bytes, headers: dict[str, str]):
    extra = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return client.post(
        "/api/v1/federation/inbox", data=body, content_type="application/json", headers=extra
    )


def rejections() -> list[str]:
    return list(
        FederationEvent.objects.filter(kind=EventKind.REJECTED).values_list("detail", flat=True)
    )


def hand_on_message(**ask_fields: Any) -> dict[str, Any]:
    ours = server_keys()
    private = {
        "what": "Prescription from the chemist on Mare Street",
        "lat": HACKNEY[0],
        "lon": HACKNEY[1],
        "address": "3 Example Lane, London E8",
        "contact_name": "Bea",
        "contact_phone": "+44 20 7946 0001",
        "contact_email": "",
    }
    return {
        "type": "hand-on",
        "crossing": str(uuid.uuid4()),
        "ask": {
            "category": "prescriptions",
            "urgency": 3,
            "language": "en",
            "approve_helper": False,
            "consent_at": timezone.now().isoformat(),
            "consent_text": "I agree that my details go to the person who helps.",
            "sealed": crypto.seal(private, to_box_public=ours.box_public),
            **ask_fields,
        },
    }


def test_well_known_names_the_server_its_key_and_protocol_version(client, db):
    response = client.get("/.well-known/mutua")

    assert response.status_code == 200
    document = response.json()
    keys = server_keys()
    assert document["name"]
    assert document["public_key"] == keys.signing_public
    assert document["protocol_version"] == 1
    assert document["key_id"] == crypto.key_id(keys.signing_public)
    assert document["encryption_key"] == keys.box_public
    assert document["inbox"] == INBOX
    # The private halves are nowhere in it.
    assert keys.signing_private not in response.content.decode()


def test_routes_are_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/federation/inbox" in paths
    assert "/api/v1/federation/links" in paths
    assert "/api/v1/federation/hand-ons" in paths


def test_an_ask_handed_on_over_an_active_link_is_recorded_with_its_details(client, ward, peer_keys):
    link = make_link(peer_keys)
    message = hand_on_message()

    response = post(client, *signed(peer_keys, message))

    assert response.status_code == 202, response.json()
    hand_on = HandOn.objects.get(link=link, outgoing=False)
    assert str(hand_on.crossing_id) == message["crossing"]
    ask = hand_on.ask
    assert ask is not None
    assert ask.group == ward
    assert ask.status == AskStatus.OPEN
    assert ask.contact_phone == "+442079460001"
    assert ask.address == "3 Example Lane, London E8"
    assert ask.consent_text == "I agree that my details go to the person who helps."
    assert FederationEvent.objects.filter(link=link, kind=EventKind.ASK_RECEIVED).exists()


def test_the_same_crossing_twice_is_recorded_once(client, ward, peer_keys):
    make_link(peer_keys)
    message = hand_on_message()

    first = post(client, *signed(peer_keys, message))
    second = post(client, *signed(peer_keys, message))

    assert (first.status_code, second.status_code) == (202, 202)
    assert HandOn.objects.filter(outgoing=False).count() == 1
    assert Ask.objects.count() == 1


def test_taking_a_received_ask_tells_the_sending_server(
    client, ward, peer_keys, django_capture_on_commit_callbacks
):
    link = make_link(peer_keys)
    post(client, *signed(peer_keys, hand_on_message()))
    ask = Ask.objects.get()
    helper = trusted(ward, UserFactory.create())
    client.force_login(helper)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/asks/{ask.pk}/claim/")

    outcome = Outgoing.objects.get(link=link, kind="outcome")
    assert outcome.payload["outcome"] == Outcome.TAKEN
    assert outcome.status == MessageStatus.PENDING  # the other server is down: kept
    assert HandOn.objects.get(outgoing=False).outcome == Outcome.TAKEN


def test_a_replayed_message_is_rejected_and_logged(client, ward, peer_keys):
    make_link(peer_keys)
    body, headers = signed(peer_keys, hand_on_message())

    first = post(client, body, headers)
    replay = post(client, body, headers)

    assert first.status_code == 202
    assert replay.status_code == 401
    assert "replayed" in replay.json()["detail"]
    assert any("replayed" in detail for detail in rejections())
    assert Ask.objects.count() == 1


def test_an_old_signature_is_rejected_and_logged(client, ward, peer_keys):
    make_link(peer_keys)
    old = timezone.now() - timedelta(minutes=10)

    response = post(client, *signed(peer_keys, hand_on_message(), created=old))

    assert response.status_code == 401
    assert "bad signature" in response.json()["detail"]
    assert rejections()
    assert not Ask.objects.exists()


def test_a_changed_body_is_rejected_and_logged(client, ward, peer_keys):
    make_link(peer_keys)
    body, headers = signed(peer_keys, hand_on_message())

    response = post(client, body.replace(b'"urgency": 3', b'"urgency": 1'), headers)

    assert response.status_code == 401
    assert "bad signature" in response.json()["detail"]
    assert rejections()
    assert not Ask.objects.exists()


def test_a_message_signed_with_another_key_is_rejected(client, ward, peer_keys):
    make_link(peer_keys)
    impostor = crypto.new_key_pair()

    response = post(client, *signed(impostor, hand_on_message()))

    assert response.status_code == 401
    assert not Ask.objects.exists()
    assert any("no link with that key" in detail for detail in rejections())


def test_an_unsigned_message_is_rejected(client, ward, peer_keys):
    make_link(peer_keys)
    body, _headers = signed(peer_keys, hand_on_message())

    response = post(client, body, {})

    assert response.status_code == 401
    assert not Ask.objects.exists()


def test_a_refused_link_is_rejected_and_logged(client, ward, peer_keys):
    make_link(peer_keys, ours=Side.REFUSED, theirs=Side.AGREED)

    response = post(client, *signed(peer_keys, hand_on_message()))

    assert response.status_code == 403
    assert "refused link" in response.json()["detail"]
    assert any("refused link" in detail for detail in rejections())
    assert not Ask.objects.exists()


def test_a_link_not_yet_agreed_here_takes_no_asks(client, ward, peer_keys):
    make_link(peer_keys, ours=Side.PENDING, theirs=Side.AGREED)

    response = post(client, *signed(peer_keys, hand_on_message()))

    assert response.status_code == 403
    assert not Ask.objects.exists()


def test_the_other_sides_decision_is_noted(client, db, peer_keys):
    link = make_link(peer_keys, ours=Side.AGREED, theirs=Side.PENDING)

    response = post(client, *signed(peer_keys, {"type": "link-agreed"}))

    assert response.status_code == 202
    link.refresh_from_db()
    assert link.theirs == Side.AGREED
    assert link.is_active


def test_details_sealed_to_another_server_cannot_be_opened(client, ward, peer_keys):
    make_link(peer_keys)
    message = hand_on_message()
    message["ask"]["sealed"] = crypto.seal({"what": "x"}, to_box_public=peer_keys.box_public)

    response = post(client, *signed(peer_keys, message))

    assert response.status_code == 422
    assert not Ask.objects.exists()
    assert not Outgoing.objects.filter(status=MessageStatus.PENDING).exists()
