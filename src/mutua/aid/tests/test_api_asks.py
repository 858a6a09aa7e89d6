"""The asks API through its front door: HTTP requests with JSON and bearer tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mutua.aid.models import Ask, AskStatus
from mutua.core.tests.factories import HACKNEY, make_ask
from mutua.people.models import User
from mutua.people.services import issue_token
from mutua.privacy.models import AccessLog

pytestmark = pytest.mark.django_db

PHONE = "+442079460000"
ADDRESS = "12 Example Road, London E8"


def ask_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "what": "Prescription pick-up from the chemist on Mare Street",
        "category": "prescriptions",
        "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
        "contact": {"name": "Ada", "phone": PHONE, "email": "", "address": ADDRESS},
        "language": "en",
        "urgency": 3,
        "consent": True,
    }
    body.update(overrides)
    return body


def post(client: Client, url: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str) else json.dumps(body or {})
    return client.post(url, data, content_type="application/json", headers=headers)


def get(client: Client, url: str, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers)


def token_for(user: User) -> str:
    return issue_token(user=user)


def test_anyone_can_ask_without_an_account_and_gets_a_coarse_area(client, ward):
    response = post(client, "/api/v1/asks", ask_body())

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open"
    assert body["group"] == ward.slug
    assert body["area"]["name"] == ward.name
    assert len(body["area"]["cell"]) == 15
    # The area is the cell's centre, never the exact place.
    assert (body["area"]["lat"], body["area"]["lon"]) != HACKNEY
    assert PHONE not in response.content.decode()
    ask = Ask.objects.get(pk=body["id"])
    assert ask.contact_phone == PHONE and ask.consent_at is not None
    assert body["url"].endswith(f"/asks/{ask.pk}/?key={body['key']}")


def test_urgency_may_be_given_by_name(client, ward):
    response = post(client, "/api/v1/asks", ask_body(urgency="urgent"))
    assert response.status_code == 201
    assert Ask.objects.get(pk=response.json()["id"]).urgency == 3


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"consent": False}, 400, "agreement"),
        ({"consent": None}, 422, "consent"),
        ({"contact": {"name": "Ada"}}, 400, "one way to reach"),
        ({"category": "spaceships"}, 400, "Unknown kind of help"),
        ({"place": {"lat": 91, "lon": 0}}, 422, "place.lat"),
        ({"place": {"lat": 0, "lon": -181}}, 422, "place.lon"),
        ({"place": {"lat": "north"}}, 422, "place.lat"),
        # JSON's true is not latitude 1: it would put the ask in the sea off Africa.
        ({"place": {"lat": True, "lon": False}}, 422, "place.lat"),
        ({"what": "   "}, 400, "what is needed"),
        ({"what": "x" * 2001}, 422, "what"),
        ({"urgency": 7}, 422, "urgency"),
        ({"urgency": "whenever"}, 422, "urgency"),
        ({"language": "English please"}, 422, "language"),
        ({"contact": {"phone": "call me maybe"}}, 400, "phone"),
        ({"contact": {"email": "not-an-email"}}, 400, "email"),
    ],
)
def test_bad_asks_are_refused_clearly_and_nothing_is_saved(client, ward, change, status, words):
    body = ask_body()
    body.update(change)
    if "consent" in change and change["consent"] is None:
        del body["consent"]

    response = post(client, "/api/v1/asks", body)

    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and words.lower() in detail.lower()
    assert Ask.objects.count() == 0


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '{"what": NaN}', ""])
def test_malformed_bodies_get_a_4xx_json_detail(client, raw):
    response = post(client, "/api/v1/asks", raw)
    assert 400 <= response.status_code < 500
    assert isinstance(response.json()["detail"], str)
    assert Ask.objects.count() == 0


def test_nan_coordinates_are_refused(client, ward):
    raw = json.dumps(ask_body()).replace(f'"lat": {HACKNEY[0]}', '"lat": NaN')
    response = post(client, "/api/v1/asks", raw)
    assert 400 <= response.status_code < 500
    assert Ask.objects.count() == 0


def test_the_board_shows_open_asks_near_a_point_without_private_details(client, ward, helper):
    near = make_ask(what="Near and urgent", urgency=3)
    far = make_ask(what="Far away in Croydon", lat=51.3762, lon=-0.0982)
    claimed = make_ask(what="Already taken")
    from mutua.aid.services import claim_ask

    claim_ask(ask=claimed, helper=helper)

    response = get(client, f"/api/v1/asks?near={HACKNEY[0]},{HACKNEY[1]}&radius_km=5")

    assert response.status_code == 200
    body = response.json()
    ids = [item["id"] for item in body["items"]]
    assert ids == [near.pk] and body["count"] == 1
    text = response.content.decode()
    for secret in (PHONE, ADDRESS, "Ada", str(HACKNEY[0])):
        assert secret not in text
    item = body["items"][0]
    assert "contact" not in item and "place" not in item
    assert item["distance_km"] < 1
    assert far.pk not in ids


def test_the_board_sorts_by_urgency_then_distance_and_filters_category(client, ward):
    calm_near = make_ask(urgency=1)
    urgent_farther = make_ask(urgency=3, lat=HACKNEY[0] + 0.02)
    urgent_near = make_ask(urgency=3)
    pets = make_ask(category="pets", urgency=3)

    body = get(client, f"/api/v1/asks?near={HACKNEY[0]},{HACKNEY[1]}&category=groceries").json()
    assert [i["id"] for i in body["items"]] == [urgent_near.pk, urgent_farther.pk, calm_near.pk]

    everything = get(client, "/api/v1/asks").json()
    assert {i["id"] for i in everything["items"]} == {
        calm_near.pk,
        urgent_farther.pk,
        urgent_near.pk,
        pets.pk,
    }


def test_the_board_pages_with_limit_and_offset(client, ward):
    asks = [make_ask(urgency=1 + i % 3, lat=HACKNEY[0] + i / 1000) for i in range(7)]
    near = f"near={HACKNEY[0]},{HACKNEY[1]}"

    whole = [i["id"] for i in get(client, f"/api/v1/asks?{near}").json()["items"]]
    pages = [
        [i["id"] for i in get(client, f"/api/v1/asks?{near}&limit=3&offset={o}").json()["items"]]
        for o in (0, 3, 6)
    ]

    assert sorted(whole) == sorted(a.pk for a in asks)
    assert pages == [whole[0:3], whole[3:6], whole[6:]]


@pytest.mark.parametrize(
    "query",
    [
        "near=north",
        "near=91,0",
        "near=51.5",
        "radius_km=0",
        "radius_km=-3",
        "category=spaceships",
        "offset=-1",
        "offset=990&limit=20",
    ],
)
def test_bad_board_queries_get_400(client, query):
    response = get(client, f"/api/v1/asks?{query}")
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


def test_exactly_one_claim_wins_and_the_helper_then_sees_the_contact(
    client, ward, helper, other_helper
):
    ask = make_ask()

    first = post(client, f"/api/v1/asks/{ask.pk}/claim", token=token_for(helper))
    second = post(client, f"/api/v1/asks/{ask.pk}/claim", token=token_for(other_helper))

    assert first.status_code == 200
    assert first.json()["contact"]["phone"] == PHONE
    assert first.json()["access"] == "helper"
    assert second.status_code == 409
    assert "already taken" in second.json()["detail"]
    assert AccessLog.objects.filter(ask=ask, viewer=helper, channel="api").count() == 1


def test_claiming_needs_a_valid_token(client, ward):
    ask = make_ask()
    assert post(client, f"/api/v1/asks/{ask.pk}/claim").status_code == 401
    bad = post(client, f"/api/v1/asks/{ask.pk}/claim", token="mt_wrong")
    assert bad.status_code == 401
    assert isinstance(bad.json()["detail"], str)
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN


def test_a_wrong_token_on_a_public_read_is_refused_not_ignored(client, ward):
    ask = make_ask()
    assert get(client, f"/api/v1/asks/{ask.pk}", token="mt_revoked").status_code == 401


def test_unknown_ask_is_404_with_detail(client, helper):
    response = post(client, "/api/v1/asks/999999/claim", token=token_for(helper))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_private_details_reach_only_the_asker_and_the_matched_helper(
    client, ward, asker, helper, outsider
):
    created = post(client, "/api/v1/asks", ask_body(), token=token_for(asker)).json()
    url = f"/api/v1/asks/{created['id']}"
    post(client, f"{url}/claim", token=token_for(helper))

    for viewer_token in (None, token_for(outsider)):
        hidden = get(client, url, token=viewer_token).json()
        assert hidden["contact"] is None and hidden["place"] is None and hidden["access"] is None

    as_asker = get(client, url, token=token_for(asker)).json()
    as_key = get(client, f"{url}?key={created['key']}").json()
    as_helper = get(client, url, token=token_for(helper)).json()
    assert as_asker["access"] == "asker" and as_asker["contact"]["address"] == ADDRESS
    assert as_key["access"] == "asker" and as_key["place"]["lat"] == HACKNEY[0]
    assert as_helper["access"] == "helper" and as_helper["contact"]["phone"] == PHONE
    wrong_key = get(client, f"{url}?key=0123456789abcdef0123456789abcdef").json()
    assert wrong_key["contact"] is None
    # One log row for each reveal: the claim response, asker, key and helper reads.
    assert AccessLog.objects.filter(ask_id=created["id"]).count() == 4


def test_release_by_the_helper_returns_the_ask_to_the_board(client, ward, helper, other_helper):
    ask = make_ask()
    post(client, f"/api/v1/asks/{ask.pk}/claim", token=token_for(helper))

    refused = post(client, f"/api/v1/asks/{ask.pk}/release", token=token_for(other_helper))
    released = post(client, f"/api/v1/asks/{ask.pk}/release", token=token_for(helper))
    again = post(client, f"/api/v1/asks/{ask.pk}/release", token=token_for(helper))

    assert refused.status_code == 403
    assert released.status_code == 200 and released.json()["status"] == "open"
    # Once released the helper no longer sees the contact.
    assert released.json()["contact"] is None
    assert again.status_code == 409
    board = get(client, "/api/v1/asks").json()
    assert ask.pk in [i["id"] for i in board["items"]]


def test_done_by_helper_then_no_more_claims(client, ward, helper, other_helper, outsider):
    ask = make_ask()
    post(client, f"/api/v1/asks/{ask.pk}/claim", token=token_for(helper))

    assert post(client, f"/api/v1/asks/{ask.pk}/done", token=token_for(outsider)).status_code == 403
    done = post(client, f"/api/v1/asks/{ask.pk}/done", token=token_for(helper))
    late = post(client, f"/api/v1/asks/{ask.pk}/claim", token=token_for(other_helper))

    assert done.status_code == 200 and done.json()["status"] == "done"
    assert late.status_code == 409 and "already done" in late.json()["detail"]
    assert post(client, f"/api/v1/asks/{ask.pk}/done").status_code == 401


def test_the_asker_can_cancel_with_the_key_from_the_ask(client, ward):
    created = post(client, "/api/v1/asks", ask_body()).json()
    url = f"/api/v1/asks/{created['id']}/cancel"

    assert post(client, f"{url}?key=wrong").status_code == 403
    response = post(client, f"{url}?key={created['key']}")

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert post(client, f"{url}?key={created['key']}").status_code == 409


def test_openapi_schema_lists_the_routes(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/asks", "/api/v1/asks/{ask_id}", "/api/v1/asks/{ask_id}/claim"} <= set(
        schema["paths"]
    )


def test_a_wrong_method_gets_a_json_detail(client):
    response = client.delete("/api/v1/asks")
    assert response.status_code == 405
    assert "not allowed" in response.json()["detail"]
