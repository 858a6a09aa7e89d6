"""Callouts: who may send one, what it checks, the page without JavaScript, the API,
closing early (by whom, why) and closing by itself. Reaching members, answers by text and
telling those coming that it closed are in notify's tests."""

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
from mutua.resources.tests.conftest import member

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


@pytest.fixture
def other_caller(ward):
    user = member(ward, "caroline@example.org", "Caroline")
    hold_role(ward, user, "caller")
    return user


def test_its_caller_closes_a_callout_early_on_the_page_saying_why(client, ward, caller, neighbour):
    callout = _callout(ward, caller)
    page = f"/groups/{ward.slug}/callouts/"
    login(client, neighbour)
    client.post(f"{page}{callout.pk}/answer/", {"answer": "coming"})
    # A member who neither sent it nor calls people out is offered no way to close it,
    # and is refused one.
    assert "Close the callout" not in client.get(page).content.decode()
    refused = client.post(f"{page}{callout.pk}/close/", {"reason": "I'm bored"}, follow=True)
    assert "Only the member who sent this callout" in refused.content.decode()
    assert Callout.objects.get().is_open

    login(client, caller)
    assert "Close the callout" in client.get(page).content.decode()
    no_reason = client.post(f"{page}{callout.pk}/close/", {"reason": "  "}, follow=True)
    assert "Please fill in why you close it" in no_reason.content.decode()
    assert Callout.objects.get().is_open

    closed = client.post(
        f"{page}{callout.pk}/close/", {"reason": "Enough people are here"}, follow=True
    )
    html = closed.content.decode()
    assert "The callout is closed" in html
    assert "Closed early: Enough people are here" in html
    assert 'value="coming"' not in html and "Close the callout" not in html
    again = client.post(f"{page}{callout.pk}/close/", {"reason": "Again"}, follow=True)
    assert "already closed" in again.content.decode()

    login(client, neighbour)
    late = client.post(f"{page}{callout.pk}/answer/", {"answer": "cant"}, follow=True)
    assert "This callout is over" in late.content.decode()
    history = client.get(f"/groups/{ward.slug}/history/").content.decode()
    assert f"Otto closed the callout #C{callout.pk} (“Enough people are here”)" in history


def test_any_caller_closes_a_callout_through_the_api(
    client, ward, caller, other_caller, neighbour, outsider
):
    callout = _callout(ward, caller)
    url = f"/api/v1/groups/{ward.slug}/callouts/{callout.pk}/close"

    def close(user, reason="Called off: the bailiffs did not come"):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=user)}"}
        return client.post(url, {"reason": reason}, content_type="application/json", **auth)

    for stranger in (neighbour, outsider):
        refused = close(stranger)
        assert refused.status_code == 403 and "detail" in refused.json()
    empty = close(other_caller, reason="")
    assert empty.status_code == 400 and "why you close it" in empty.json()["detail"]
    assert close(other_caller, reason="x" * 201).status_code == 422
    assert Callout.objects.get().is_open

    closed = close(other_caller)
    assert closed.status_code == 200
    body = closed.json()
    assert body["open"] is False and body["closed_at"]
    assert body["close_reason"] == "Called off: the bailiffs did not come"
    twice = close(caller)
    assert twice.status_code == 409 and "already closed" in twice.json()["detail"]
    missing = client.post(
        f"/api/v1/groups/{ward.slug}/callouts/999999/close",
        {"reason": "Gone"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user=caller)}",
    )
    assert missing.status_code == 404
    # The periodic job leaves a callout closed early as its caller closed it.
    assert services.close_finished(now=callout.ends_at + timedelta(minutes=1)) == 0
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/groups/{slug}/callouts/{callout_id}/close" in schema["paths"]


def test_a_callout_time_without_an_offset_is_read_in_the_servers_zone(client, ward, caller):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=caller)}"}
    base = f"/api/v1/groups/{ward.slug}/callouts"
    body = {"what": "Eviction defence", "place": "Mare Street", "radius_km": 2}
    body.update(lat=HACKNEY[0], lon=HACKNEY[1])
    soon = (timezone.localtime() + SOON).replace(second=0, microsecond=0)

    made = client.post(
        base,
        {**body, "starts_at": soon.replace(tzinfo=None).isoformat()},
        content_type="application/json",
        **auth,
    )
    past = client.post(
        base, {**body, "starts_at": "2020-01-01"}, content_type="application/json", **auth
    )

    assert made.status_code == 201, made.content
    assert Callout.objects.get(pk=made.json()["id"]).starts_at == soon
    assert past.status_code == 400 and "detail" in past.json()
