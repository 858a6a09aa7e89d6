"""Callouts: who may send one, what it checks, the page without JavaScript, the API, and
closing by itself. Reaching members and answers by text are in notify's tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.conftest import login
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.core.tests.factories import hold_role
from mutua.matching.tests.db_people import HACKNEY
from mutua.people.services import issue_token
from mutua.resources.models import Callout
from mutua.resources.services import callouts as services

SOON = timedelta(minutes=40)


@pytest.fixture
def caller(ward, onlooker):
    hold_role(ward, onlooker, "caller")
    return onlooker


def _callout(ward, by, **extra):
    values = {
        "what": "Flooded basement: sandbags and buckets",
        "place": "Mare Street",
        "lat": HACKNEY[0],
        "lon": HACKNEY[1],
        "radius_km": 2,
        "starts_at": timezone.now() + SOON,
        **extra,
    }
    return services.send_callout(group=ward, by=by, **values)


def test_only_a_named_caller_sends_a_callout(ward, caller, neighbour, outsider):
    # Nobody else holds the role, yet a member is not a caller by default: it wakes phones.
    with pytest.raises(NotAllowed):
        _callout(ward, neighbour)
    with pytest.raises(NotAllowed):
        _callout(ward, outsider)
    callout = _callout(ward, caller)
    assert callout.ends_at == callout.starts_at + timedelta(hours=2)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": 500}, "radius_km"),
        ({"starts_at": timezone.now() - timedelta(hours=3)}, "starts_at"),
        ({"starts_at": timezone.now() + timedelta(days=30)}, "starts_at"),
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"what": "  "}, "what"),
        ({"lat": None, "lon": None, "place": "Qwzx Nowhere"}, "place"),
    ],
)
def test_a_callout_checks_its_input(ward, caller, extra, field):
    with pytest.raises(InvalidInput) as refused:
        _callout(ward, caller, **extra)
    assert refused.value.field == field
    assert not Callout.objects.exists()


def test_the_page_sends_and_answers_without_javascript(client, ward, caller, neighbour):
    login(client, caller)
    page = f"/groups/{ward.slug}/callouts/"
    starts = timezone.localtime() + SOON
    sent = client.post(
        page,
        {
            "what": "Eviction defence",
            "place": f"{HACKNEY[0]},{HACKNEY[1]}",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "radius_km": "1.5",
        },
    )
    assert sent.status_code == 302
    callout = Callout.objects.get()

    login(client, neighbour)
    html = client.get(page).content.decode()
    assert "Eviction defence" in html and 'value="coming"' in html
    # Without JavaScript the page reloads itself while a callout is open.
    assert '<noscript><meta http-equiv="refresh"' in html
    assert "Send a callout" not in html  # not a caller
    client.post(f"{page}{callout.pk}/answer/", {"answer": "coming"})
    html = client.get(page).content.decode()
    assert "<strong>1</strong> coming" in html and "You said you are coming" in html


def test_the_page_refuses_bad_input_next_to_the_field(client, ward, caller):
    login(client, caller)
    response = client.post(
        f"/groups/{ward.slug}/callouts/",
        {"what": "Help", "place": "Qwzx Nowhere", "starts_at": "", "radius_km": "2"},
    )
    assert response.status_code == 400
    assert not Callout.objects.exists()


def test_outsiders_see_no_callouts(client, ward, caller, outsider):
    callout = _callout(ward, caller)
    login(client, outsider)
    assert client.get(f"/groups/{ward.slug}/callouts/").status_code == 403
    assert client.get(f"/groups/{ward.slug}/callouts/{callout.pk}/count/").status_code == 403
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=outsider)}"}
    assert client.get(f"/api/v1/groups/{ward.slug}/callouts", **auth).status_code == 403


def test_callouts_through_the_api(client, ward, caller, neighbour):
    base = f"/api/v1/groups/{ward.slug}/callouts"
    as_caller = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=caller)}"}
    as_member = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=neighbour)}"}
    body = {
        "what": "Eviction defence",
        "place": "Mare Street",
        "lat": HACKNEY[0],
        "lon": HACKNEY[1],
        "starts_at": (timezone.now() + SOON).isoformat(),
        "radius_km": 2,
    }
    refused = client.post(base, body, content_type="application/json", **as_member)
    assert refused.status_code == 403 and "detail" in refused.json()
    bad = client.post(base, {**body, "radius_km": -1}, content_type="application/json", **as_caller)
    assert bad.status_code == 400 and "detail" in bad.json()
    made = client.post(base, body, content_type="application/json", **as_caller)
    assert made.status_code == 201
    callout_id = made.json()["id"]

    answered = client.post(
        f"{base}/{callout_id}/answer",
        {"answer": "cant"},
        content_type="application/json",
        **as_member,
    )
    assert answered.status_code == 200
    assert (answered.json()["cant"], answered.json()["mine"]) == (1, "cant")
    listed = client.get(base, **as_member).json()["items"]
    assert [c["id"] for c in listed] == [callout_id] and listed[0]["open"]

    services.close_finished(now=timezone.now() + timedelta(hours=3))
    late = client.post(
        f"{base}/{callout_id}/answer",
        {"answer": "coming"},
        content_type="application/json",
        **as_member,
    )
    assert late.status_code == 409
    assert client.get(f"{base}/{callout_id}", **as_member).json()["open"] is False
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/groups/{slug}/callouts" in schema["paths"]
