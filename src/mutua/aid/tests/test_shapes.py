"""The public shape of an ask and of an offer is one (aid.shapes); each channel shows it
exactly as before, with its own documented additions: the API adds `distance_km`, a
webhook gives the status as of its event and times as text, the CSV export flattens the
area into `area_*` columns and adds contact columns on request. These outputs are
contracts for people's scripts: the literals below are what each channel sends."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from mutua.aid.models import Ask, AskEvent, Offer
from mutua.aid.services import create_offer
from mutua.core.tests.factories import HACKNEY, make_ask
from mutua.exchange import services as exchange_services
from mutua.exchange.models import WebhookDelivery
from mutua.matching.services import run_dispatch
from mutua.matching.tests.db_people import NEAR, ready_to_help
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db

ASKED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
EXPIRES = datetime(2099, 3, 15, 9, 30, tzinfo=UTC)
OFFERED = datetime(2025, 2, 20, 18, 0, tzinfo=UTC)


@pytest.fixture
def ask(ward):
    made = make_ask(what="Bread, milk and rice for the week", contact_email="ada@example.org")
    Ask.objects.filter(pk=made.pk).update(created_at=ASKED, expires_at=EXPIRES)
    return Ask.objects.select_related("group").get(pk=made.pk)


@pytest.fixture
def offer(ward, helper):
    made = create_offer(
        member=helper, kind="time", category="groceries", what="Saturdays", group=ward
    )
    Offer.objects.filter(pk=made.pk).update(created_at=OFFERED)
    return made


def _auth(user):
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


def _export(*args):
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


# The core shape as JSON, as the API writes it (in the schema's key order).
PUBLIC_ASK = (
    '{"id": <pk>, "status": "open", "what": "Bread, milk and rice for the week", '
    '"category": "groceries", "urgency": 2, "language": "en", "area": {"cell": '
    '"88194e69a3fffff", "name": "Hackney Central", "lat": 51.54308963619241, '
    '"lon": -0.050393831235070706}, "group": "hackney-central", '
    '"created_at": "2025-03-01T09:30:00Z", "expires_at": "2099-03-15T09:30:00Z", '
    '"distance_km": <distance>'
)


def _public_ask(ask, distance, more=""):
    return PUBLIC_ASK.replace("<pk>", str(ask.pk)).replace("<distance>", distance) + more + "}"


PUBLIC_OFFER = (
    '{{"id": {pk}, "kind": "time", "category": "groceries", "what": "Saturdays", '
    '"group": "hackney-central", "member": "helper", "active": true, '
    '"created_at": "2025-02-20T18:00:00Z"}}'
)
ASK_COLUMNS = (
    "id,status,what,category,urgency,language,group,area_cell,area_name,area_lat,area_lon,"
    "created_at,expires_at"
)
ASK_ROW = (
    '{pk},open,"Bread, milk and rice for the week",groceries,2,en,hackney-central,'
    "88194e69a3fffff,Hackney Central,51.54308963619241,-0.050393831235070706,"
    "2025-03-01T09:30:00+00:00,2099-03-15T09:30:00+00:00"
)


def test_the_board_adds_the_distance_to_the_public_shape(client, ask):
    response = client.get(f"/api/v1/asks?near={HACKNEY[0]},{HACKNEY[1]}")

    item = _public_ask(ask, "0.4")
    assert response.content.decode() == '{"count": 1, "items": [' + item + "]}"


def test_one_ask_is_the_public_shape_and_its_access_for_an_outsider(client, ask, outsider):
    response = client.get(f"/api/v1/asks/{ask.pk}", headers=_auth(outsider))

    no_access = ', "access": null, "place": null, "contact": null'
    assert response.content.decode() == _public_ask(ask, "null", no_access)


def test_a_dispatch_suggestion_shows_the_ask_as_the_board_does(client, ask, ward, helper):
    ready_to_help(helper, home=NEAR)
    run_dispatch(groups=[ward])

    response = client.get("/api/v1/proposals", headers=_auth(helper))

    [item] = response.json()["items"]
    assert item["ask"] == json.loads(_public_ask(ask, "null"))


def test_a_webhook_sends_the_status_as_of_its_event_and_times_as_text(ask, ward, helper):
    exchange_services.register_webhook(
        group=ward, by=helper, url="https://hooks.example.org/in", events=["ask.created"]
    )
    event = AskEvent.objects.get(ask=ask, kind=AskEvent.Kind.CREATED)

    exchange_services.queue_ask_event(event_id=event.pk)

    payload = WebhookDelivery.objects.get().payload
    # As the body is posted: compact, keys sorted.
    assert json.dumps(payload["ask"], separators=(",", ":"), sort_keys=True) == (
        '{"area":{"cell":"88194e69a3fffff","lat":51.54308963619241,'
        '"lon":-0.050393831235070706,"name":"Hackney Central"},"category":"groceries",'
        '"created_at":"2025-03-01T09:30:00+00:00","expires_at":"2099-03-15T09:30:00+00:00",'
        f'"group":"hackney-central","id":{ask.pk},"language":"en","status":"open",'
        '"urgency":2,"what":"Bread, milk and rice for the week"}'
    )


def test_the_csv_export_flattens_the_area_and_adds_contact_only_on_request(ask):
    assert _export("asks") == f"\ufeff{ASK_COLUMNS}\n{ASK_ROW.format(pk=ask.pk)}\n"
    consented = ask.consent_at.isoformat()
    assert _export("asks", "--with-contact") == (
        f"\ufeff{ASK_COLUMNS},lat,lon,address,name,phone,email,consent_at\n"
        f"{ASK_ROW.format(pk=ask.pk)},51.545,-0.0553,"
        f'"12 Example Road, London E8",Ada,+442079460000,ada@example.org,{consented}\n'
    )


def test_the_json_export_has_the_csv_columns(ask):
    assert json.loads(_export("asks", "--format", "json")) == [
        {
            "id": ask.pk,
            "status": "open",
            "what": "Bread, milk and rice for the week",
            "category": "groceries",
            "urgency": 2,
            "language": "en",
            "group": "hackney-central",
            "area_cell": "88194e69a3fffff",
            "area_name": "Hackney Central",
            "area_lat": 51.54308963619241,
            "area_lon": -0.050393831235070706,
            "created_at": "2025-03-01T09:30:00Z",
            "expires_at": "2099-03-15T09:30:00Z",
        }
    ]


def test_an_offer_is_one_shape_in_the_api_and_the_export(client, offer):
    one = PUBLIC_OFFER.format(pk=offer.pk)

    assert client.get(f"/api/v1/offers/{offer.pk}").content.decode() == one
    assert client.get("/api/v1/offers").content.decode() == (
        '{"items": [' + one + '], "next": null}'
    )
    assert _export("offers", "--with-contact") == (
        "\ufeffid,kind,category,what,group,member,active,created_at,email\n"
        f"{offer.pk},time,groceries,Saturdays,hackney-central,helper,true,"
        "2025-02-20T18:00:00+00:00,helper@example.org\n"
    )
    assert json.loads(_export("offers", "--format", "json")) == [json.loads(one)]
