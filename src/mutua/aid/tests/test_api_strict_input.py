"""Input that a lax reading would change the meaning of is refused, and the API answers
every error in JSON, in the request's language."""

from __future__ import annotations

import json

import pytest

from mutua.aid.models import Ask
from mutua.aid.tests.test_api_asks import ask_body, post
from mutua.people.models import TokenScope
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("consent", ["yes", "true", 1, 1.0, [True], {"given": True}, None, False])
def test_consent_must_be_json_true(client, ward, consent):
    response = post(client, "/api/v1/asks", ask_body(consent=consent))

    assert response.status_code in (400, 422)
    body = response.json()
    assert "consent" in body["detail"] or body.get("field") == "consent"
    assert not Ask.objects.exists()


@pytest.mark.parametrize("urgency", [True, False, 0, 4, -1, 2.5, "2", "high", None])
def test_urgency_must_be_one_to_three_or_a_name(client, ward, urgency):
    response = post(client, "/api/v1/asks", ask_body(urgency=urgency))

    assert response.status_code == 422
    assert "urgency" in response.json()["detail"]
    assert not Ask.objects.exists()


@pytest.mark.parametrize(("urgency", "stored"), [(1, 1), (3, 3), ("low", 1), ("urgent", 3)])
def test_good_urgencies_are_kept(client, ward, urgency, stored):
    response = post(client, "/api/v1/asks", ask_body(urgency=urgency))

    assert response.status_code == 201
    assert Ask.objects.get().urgency == stored


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_a_json_body_in_another_wrapping_is_refused_with_415(client, ward, content_type):
    # What a page on another site can post without a CORS preflight.
    response = client.generic(
        "POST", "/api/v1/asks", json.dumps(ask_body()), content_type=content_type
    )

    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"
    assert "application/json" in response.json()["detail"]
    assert not Ask.objects.exists()


def test_json_with_a_charset_is_json(client, ward):
    response = client.post(
        "/api/v1/asks", json.dumps(ask_body()), content_type="application/json; charset=utf-8"
    )

    assert response.status_code == 201


def test_an_oversized_body_gets_a_json_413(client, ward, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = ask_body(what="x" * 20_000)

    response = post(client, "/api/v1/asks", body)

    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request is too large")
    assert not Ask.objects.exists()


def test_a_crash_in_the_api_is_a_json_500(client, ward, monkeypatch):
    client.raise_request_exception = False

    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("mutua.aid.services.create_ask", crash)
    response = post(client, "/api/v1/asks", ask_body())

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "boom" not in response.json()["detail"]


def test_api_errors_follow_the_request_language(client, ward, helper):
    token = issue_token(user=helper, scope=TokenScope.READ)

    french = client.post(
        "/api/v1/asks/1/claim",
        "{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "fr"},
    )

    assert french.status_code == 403
    assert french.json()["detail"].startswith("Ce jeton ne peut que lire")


def test_routes_where_a_token_is_optional_say_so_in_openapi(client):
    doc = client.get("/api/v1/openapi.json").json()

    create = doc["paths"]["/api/v1/asks"]["post"]
    claim = doc["paths"]["/api/v1/asks/{ask_id}/claim"]["post"]
    assert {} in create["security"] and {"BearerAuth": []} in create["security"]
    assert claim["security"] == [{"BearerAuth": []}]


def test_the_api_docs_load_nothing_from_other_sites(client):
    page = client.get("/api/v1/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
