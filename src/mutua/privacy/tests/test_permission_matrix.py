"""Who sees an ask's contact details and exact place, on every page and API route that
shows an ask or a person. Contact strings are planted in the asks; they must appear only
for the asker, the matched helper and the group's safeguarding/hotline role holders."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from mutua.aid.models import Ask
from mutua.core.tests.factories import make_ask
from mutua.people.models import User
from mutua.people.services import issue_token
from mutua.privacy.models import AccessLog
from mutua.privacy.tests.conftest import ADDRESS, EMAIL, LAT, LON, NAME, PHONE, SECRETS

VIEWERS = [
    "anonymous",
    "outsider",
    "other_helper",
    "asker",
    "helper",
    "released_helper",
    "guardian",
]
# Who may see the details of the claimed ask, and the reason logged for them.
ALLOWED = {"asker": "asker", "helper": "helper", "guardian": "safeguarding"}


def _user(request: pytest.FixtureRequest, viewer: str) -> User | None:
    return None if viewer == "anonymous" else request.getfixturevalue(viewer)


def _web(request: pytest.FixtureRequest, viewer: str) -> Client:
    client = Client()
    user = _user(request, viewer)
    if user is not None:
        client.force_login(user)
    return client


def _api_headers(request: pytest.FixtureRequest, viewer: str) -> dict[str, str]:
    user = _user(request, viewer)
    return {} if user is None else {"Authorization": f"Bearer {issue_token(user=user)}"}


def _leaked(body: str) -> list[str]:
    return [s for s in SECRETS if s in body]


@pytest.fixture
def open_planted(asker: User, planted: Ask) -> Ask:
    """An open ask on the board with the same planted details."""
    return make_ask(
        what="Planted open ask for the matrix",
        lat=LAT,
        lon=LON,
        contact_name=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
        address=ADDRESS,
        asker=asker,
    )


@pytest.fixture
def unrouted_planted(planted: Ask) -> Ask:
    """An open ask no group covers (in Lisbon), with the planted details."""
    return make_ask(
        what="Planted unrouted ask",
        lat=38.72,
        lon=-9.14,
        contact_name=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
        address=ADDRESS,
    )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_ask_page_shows_details_only_to_asker_helper_and_role(request, viewer, planted):
    body = _web(request, viewer).get(f"/asks/{planted.pk}/").content.decode()

    assert "Shopping for the week" in body
    if viewer in ALLOWED:
        assert _leaked(body) == SECRETS
        entry = AccessLog.objects.get(ask=planted)
        assert (entry.viewer, entry.reason, entry.channel) == (
            _user(request, viewer),
            ALLOWED[viewer],
            "web",
        )
    else:
        assert _leaked(body) == []
        assert not AccessLog.objects.exists()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_api_ask_shows_details_only_to_asker_helper_and_role(request, viewer, planted):
    response = Client().get(f"/api/v1/asks/{planted.pk}", headers=_api_headers(request, viewer))
    body = response.content.decode()

    assert response.status_code == 200
    data = json.loads(body)
    if viewer in ALLOWED:
        assert data["access"] == ALLOWED[viewer]
        assert data["contact"] == {"name": NAME, "phone": PHONE, "email": EMAIL, "address": ADDRESS}
        assert data["place"] == {"lat": LAT, "lon": LON}
        assert AccessLog.objects.get(ask=planted).channel == "api"
    else:
        assert data["access"] is None
        assert data.get("contact") is None and data.get("place") is None
        assert _leaked(body) == []
        assert not AccessLog.objects.exists()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_board_pages_fragments_and_api_never_show_details(
    request, viewer, open_planted, unrouted_planted
):
    web = _web(request, viewer)
    pages = {
        "board": web.get("/board/", {"near": "51.545,-0.0553"}),
        "fragment": web.get("/board/", {"near": "51.545,-0.0553"}, headers={"HX-Request": "true"}),
        "unrouted": web.get("/unrouted/"),
        "api": Client().get(
            "/api/v1/asks", {"near": "51.545,-0.0553"}, headers=_api_headers(request, viewer)
        ),
    }

    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        expected = "Planted unrouted ask" if name == "unrouted" else "Planted open ask"
        assert expected in body, name
        assert _leaked(body) == [], name
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_my_pages_show_nobody_else_s_details(request, viewer, planted):
    web = _web(request, viewer)
    for path in ("/me/", "/me/privacy/"):
        response = web.get(path)
        if viewer == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 200
            assert _leaked(response.content.decode()) == [], path


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_asker_s_own_download_holds_the_details(request, viewer, planted):
    response = _web(request, viewer).get("/me/privacy/export")

    if viewer == "anonymous":
        assert response.status_code == 302
    elif viewer == "asker":
        assert _leaked(response.content.decode()) == SECRETS
    else:
        assert response.status_code == 200
        assert _leaked(response.content.decode()) == []


def test_the_group_export_without_contact_holds_no_details(db, open_planted):
    out = io.StringIO()
    call_command("export", "asks", "--format", "json", stdout=out)

    assert "Planted open ask" in out.getvalue()
    assert _leaked(out.getvalue()) == []


def test_a_claim_given_back_ends_the_helper_s_view(client, planted, released_helper, helper):
    client.force_login(released_helper)
    assert _leaked(client.get(f"/asks/{planted.pk}/").content.decode()) == []

    client.force_login(helper)
    assert _leaked(client.get(f"/asks/{planted.pk}/").content.decode()) == SECRETS
