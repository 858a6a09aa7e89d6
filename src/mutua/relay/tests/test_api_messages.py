"""GET and POST /api/v1/asks/{id}/messages: the helper by token, the person who asked by
token or private key; nobody else; closed with the claim; never a contact detail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mutua.aid import services as aid_services
from mutua.aid.policy import Actor
from mutua.aid.selectors import asker_key
from mutua.core.tests.factories import make_ask
from mutua.people.services import issue_token
from mutua.relay.models import RelayMessage

pytestmark = pytest.mark.django_db

ASKER_PHONE = "+44 20 7946 0000"
ASKER_EMAIL = "ada.lovelace@example.net"
ADDRESS = "12 Example Road, London E8"


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


def write(client: Client, ask_id: int, body: str, *, user: Any = None, key: str = "") -> Any:
    url = f"/api/v1/asks/{ask_id}/messages" + (f"?key={key}" if key else "")
    headers = bearer(user) if user is not None else {}
    return client.post(
        url, json.dumps({"body": body}), content_type="application/json", headers=headers
    )


def read(client: Client, ask_id: int, *, user: Any = None, key: str = "") -> Any:
    url = f"/api/v1/asks/{ask_id}/messages" + (f"?key={key}" if key else "")
    return client.get(url, headers=bearer(user) if user is not None else {})


@pytest.fixture
def taken(ward, helper):
    """An ask made without an account, taken by the helper."""
    ask = make_ask(contact_phone=ASKER_PHONE, contact_email=ASKER_EMAIL, address=ADDRESS)
    aid_services.claim_ask(ask=ask, helper=helper)
    return ask


def test_the_helper_and_the_asker_write_to_each_other_without_any_contact_detail(
    client, taken, helper
):
    key = asker_key(taken)

    sent = write(
        client,
        taken.pk,
        "On my way! Call me on 07700 900123 or mail helper@example.org if the door sticks.",
        user=helper,
    )
    answered = write(
        client,
        taken.pk,
        "Thank you. I'm at 12 example road (the blue door), ring +44 20 7946 0000 or "
        f"write to {ASKER_EMAIL.upper()}",
        key=key,
    )

    assert sent.status_code == 201, sent.content
    assert answered.status_code == 201, answered.content
    assert sent.json()["side"] == "helper" and sent.json()["author"] == helper.display_name
    assert answered.json()["side"] == "asker" and answered.json()["author"] is None
    for listing in (read(client, taken.pk, user=helper), read(client, taken.pk, key=key)):
        assert listing.status_code == 200
        body = listing.json()
        assert [m["side"] for m in body["items"]] == ["helper", "asker"]
        assert body["open"] is True and body["sms_reference"] == f"#A{taken.pk}"
        shown = json.dumps(body).lower()
        for secret in ("07700", "900123", "helper@example.org", "7946", "12 example road"):
            assert secret not in shown
        assert ASKER_EMAIL.lower() not in shown
        assert "On my way!" in body["items"][0]["body"]
        assert "(the blue door)" in body["items"][1]["body"]
    # Stored as relayed: the database holds no more than the listing.
    stored = " ".join(RelayMessage.objects.values_list("body", flat=True)).lower()
    assert "900123" not in stored and "example road" not in stored


def test_the_asker_with_an_account_uses_their_token(client, ward, helper, asker):
    ask = make_ask(asker=asker)
    aid_services.claim_ask(ask=ask, helper=helper)

    response = write(client, ask.pk, "The shop on the corner is fine", user=asker)

    assert response.status_code == 201
    assert read(client, ask.pk, user=helper).json()["items"][0]["side"] == "asker"


def test_nobody_else_reads_or_writes(client, taken, helper, outsider, other_helper):
    for user in (outsider, other_helper):
        assert read(client, taken.pk, user=user).status_code == 403
        assert write(client, taken.pk, "hello", user=user).status_code == 403
    assert read(client, taken.pk, key="not-the-key").status_code == 403
    anonymous = read(client, taken.pk)
    assert anonymous.status_code == 401 and "detail" in anonymous.json()
    assert read(client, 999999, user=helper).status_code == 404
    assert not RelayMessage.objects.exists()


def test_an_empty_or_too_long_message_is_refused_and_nothing_is_saved(client, taken, helper):
    empty = write(client, taken.pk, "   ", user=helper)
    long = write(client, taken.pk, "x" * 1001, user=helper)

    assert empty.status_code == 400 and empty.json()["field"] == "body"
    assert long.status_code == 400 and "1000" in long.json()["detail"]
    assert not RelayMessage.objects.exists()


def test_a_dispatcher_sees_the_conversation_while_the_claim_is_open(
    client, taken, helper, dispatcher
):
    write(client, taken.pk, "Starting now", user=helper)

    seen = read(client, taken.pk, user=dispatcher)
    assert seen.status_code == 200 and seen.json()["side"] == "dispatcher"
    assert [m["body"] for m in seen.json()["items"]] == ["Starting now"]
    assert write(client, taken.pk, "Shout if you need a hand", user=dispatcher).status_code == 201

    aid_services.complete_ask(ask=taken, actor=Actor(user=helper))
    assert read(client, taken.pk, user=dispatcher).status_code == 403


def test_the_conversation_closes_with_the_claim(client, taken, helper):
    key = asker_key(taken)
    write(client, taken.pk, "Done, the bags are inside", user=helper)

    aid_services.complete_ask(ask=taken, actor=Actor(user=helper))

    late = write(client, taken.pk, "One more thing", user=helper)
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    assert write(client, taken.pk, "Thanks!", key=key).status_code == 409
    for listing in (read(client, taken.pk, user=helper), read(client, taken.pk, key=key)):
        assert listing.json()["open"] is False
        assert [m["body"] for m in listing.json()["items"]] == ["Done, the bags are inside"]


def test_a_new_helper_does_not_see_what_was_said_with_the_last_one(
    client, taken, helper, other_helper
):
    write(client, taken.pk, "Sorry, I have to give this back", user=helper)
    aid_services.release_ask(ask=taken, helper=helper)
    aid_services.claim_ask(ask=taken, helper=other_helper)

    assert read(client, taken.pk, user=other_helper).json()["items"] == []
    asker_view = read(client, taken.pk, key=asker_key(taken)).json()
    assert asker_view["items"] == [] and asker_view["open"] is True
    # The first helper still reads their own, closed conversation.
    theirs = read(client, taken.pk, user=helper).json()
    assert theirs["open"] is False and len(theirs["items"]) == 1


def test_before_anyone_takes_the_ask_the_asker_sees_an_empty_conversation(client, ward):
    ask = make_ask()
    key = asker_key(ask)

    listing = read(client, ask.pk, key=key)
    refused = write(client, ask.pk, "Is anyone coming?", key=key)

    assert listing.status_code == 200
    assert listing.json()["claim"] is None and listing.json()["items"] == []
    assert refused.status_code == 409


def test_a_read_only_token_may_read_but_not_write(client, taken, helper):
    token = issue_token(user=helper, scope="read")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/asks/{taken.pk}/messages"

    assert client.get(url, headers=headers).status_code == 200
    posted = client.post(
        url, json.dumps({"body": "hi"}), content_type="application/json", headers=headers
    )
    assert posted.status_code == 403
