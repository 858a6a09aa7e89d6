"""One's own profile through the API, and tokens: scopes, revocation, rate limits."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from mutua.aid.models import Ask
from mutua.core.tests.factories import HACKNEY, make_ask
from mutua.people.models import ApiToken

pytestmark = pytest.mark.django_db


def cli(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def put(client: Client, url: str, body: Any, token: str) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json", headers=bearer(token))


def test_a_member_reads_and_replaces_their_profile(client, helper):
    token = cli(helper.email).strip()
    body = {
        "display_name": "Sam",
        "languages": ["en", "BN"],
        "skills": ["pets", "groceries"],
        "travel_radius_km": 4,
        "max_asks_at_once": 3,
        "home": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
        "available_days": [5, 6],
        "available_from": "09:00",
        "paused": False,
    }

    saved = put(client, "/api/v1/me", body, token)
    read = client.get("/api/v1/me", headers=bearer(token))

    assert saved.status_code == 200, saved.content
    assert read.json() == saved.json()
    profile = read.json()
    assert profile["email"] == helper.email and profile["display_name"] == "Sam"
    assert profile["languages"] == ["bn", "en"] and profile["skills"] == ["groceries", "pets"]
    assert profile["available_from"] == "09:00:00" and profile["max_asks_at_once"] == 3
    # Only the ~1 km cell of home is kept: its centre, never the point sent.
    assert len(profile["home"]["cell"]) == 15
    assert (profile["home"]["lat"], profile["home"]["lon"]) != HACKNEY


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"skills": ["spaceships"]}, 400, "Unknown kind of help"),
        ({"languages": ["English"]}, 400, "language code"),
        ({"available_days": [7]}, 400, "Days must be"),
        ({"travel_radius_km": 501}, 422, "travel_radius_km"),
        ({"available_from": "09:00+02:00"}, 422, "without a time zone"),
        ({"display_name": "x" * 81}, 422, "display_name"),
    ],
)
def test_a_bad_profile_is_refused_and_nothing_changes(client, helper, change, status, words):
    token = cli(helper.email).strip()

    response = put(client, "/api/v1/me", {"display_name": "Sam", **change}, token)

    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert client.get("/api/v1/me", headers=bearer(token)).json()["display_name"] != "Sam"


def test_a_read_token_may_look_but_not_act(client, ward, helper):
    ask = make_ask()
    token = cli(helper.email, "--scope", "read", "--name", "dashboard").strip()

    looked = client.get(f"/api/v1/asks/{ask.pk}", headers=bearer(token))
    acted = client.post(f"/api/v1/asks/{ask.pk}/claim", headers=bearer(token))

    assert looked.status_code == 200
    assert acted.status_code == 403 and "only read" in acted.json()["detail"]
    ask.refresh_from_db()
    assert ask.status == "open"
    assert ApiToken.objects.get(user=helper).name == "dashboard"


def test_tokens_are_listed_and_a_revoked_one_stops_working_at_once(client, ward, helper, asker):
    old = cli(helper.email, "--name", "old laptop").strip()
    current = cli(helper.email).strip()
    someone_elses = cli(asker.email).strip()

    listed = client.get("/api/v1/me/tokens", headers=bearer(current)).json()["items"]
    old_id = next(t["id"] for t in listed if t["name"] == "old laptop")
    assert [t["current"] for t in listed] == [True, False]
    not_mine = ApiToken.objects.get(user=asker).pk
    refused = client.post(f"/api/v1/me/tokens/{not_mine}/revoke", headers=bearer(current))
    revoked = client.post(f"/api/v1/me/tokens/{old_id}/revoke", headers=bearer(current))

    assert refused.status_code == 404
    assert client.get("/api/v1/me", headers=bearer(someone_elses)).status_code == 200
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    after = client.get("/api/v1/me", headers=bearer(old))
    assert after.status_code == 401 and "revoked" in after.json()["detail"]
    # A revoked token on an anonymous route is refused too, not quietly ignored.
    assert client.get(f"/api/v1/asks/{make_ask().pk}", headers=bearer(old)).status_code == 401


def test_the_command_lists_and_revokes_tokens(helper):
    cli(helper.email, "--name", "sheet", "--scope", "read")
    token_id = ApiToken.objects.get(user=helper).pk

    listing = cli(helper.email, "--list")
    said = cli(helper.email, "--revoke", str(token_id))

    assert f"{token_id}  read" in listing and listing.rstrip().endswith("sheet")
    assert said == f"Revoked token {token_id} of {helper.email}; it no longer works.\n"
    assert "revoked" in cli(helper.email, "--list")
    with pytest.raises(CommandError, match="has no token number 999"):
        cli(helper.email, "--revoke", "999")
    with pytest.raises(CommandError, match="invalid choice"):
        cli(helper.email, "--scope", "admin")


def test_each_token_has_a_rate_limit_and_past_it_gets_429(client, ward, helper, settings):
    settings.MUTUA_API_RATE_LIMIT = 3
    cache.clear()
    busy, other = cli(helper.email).strip(), cli(helper.email).strip()

    answers = [client.get("/api/v1/me", headers=bearer(busy)).status_code for _ in range(4)]
    limited = client.post(
        "/api/v1/asks",
        json.dumps(
            {
                "what": "Bread",
                "category": "groceries",
                "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
                "contact": {"phone": "+442079460000"},
                "consent": True,
            }
        ),
        content_type="application/json",
        headers=bearer(busy),
    )

    assert answers == [200, 200, 200, 429]
    assert limited.status_code == 429 and "at most 3 a minute" in limited.json()["detail"]
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert not Ask.objects.exists()
    # The limit is per token: another one of the same person still works, and so do
    # requests without any token.
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200
    assert client.get("/api/v1/asks").status_code == 200
