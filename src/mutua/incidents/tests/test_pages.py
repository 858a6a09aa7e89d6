"""The incident pages: the list and its form, the surge board for responders, and the
public progress page, which shows counts only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mutua.conftest import login
from mutua.core.tests.factories import make_ask
from mutua.incidents.models import Case, Incident, IncidentStatus, WorkClaim
from mutua.incidents.services.cases import gather_open_incidents
from mutua.incidents.tests.helpers import AREA, network_with, open_incident, trusted_in

pytestmark = pytest.mark.django_db

CONTACT: dict[str, Any] = {
    "address": "7 Wick Road, London E9",
    "contact_name": "Zofia Kowalska",
    "contact_phone": "+442079460123",
    "contact_email": "zofia@example.org",
}


@pytest.fixture
def flood(client, ward, dispatcher):
    made = open_incident(client, dispatcher, ward, emergency=True)
    return Incident.objects.get(pk=made.json()["id"])


def test_the_public_page_shows_counts_and_no_personal_data(client, ward, helper, flood):
    for n in range(10):
        make_ask(what=f"Secret details {n}", **CONTACT)
    gather_open_incidents()
    cases = list(Case.objects.filter(incident=flood))
    Case.objects.filter(incident=flood).update(needs=["supplies", "debris"])
    Case.objects.filter(pk__in=[c.pk for c in cases[:2]]).update(
        needs=["supplies", "debris", "wellness-check"]
    )
    for case in cases[:5]:
        WorkClaim.objects.create(case=case, group=ward, work_type="supplies", claimed_by=helper)

    page = client.get(f"/groups/{ward.slug}/incidents/{flood.pk}/progress/")

    assert page.status_code == 200
    text = page.content.decode()
    assert flood.name in text
    for value in [*CONTACT.values(), "Secret details", helper.display_name, helper.email]:
        assert value not in text
    for case in cases:
        assert f"/asks/{case.ask_id}/" not in text
    rows = {
        r.split("</th>")[0].rsplit(">", 1)[-1]: r for r in text.split('<tr><th scope="row">')[1:]
    }
    assert rows["Bringing supplies"].count("<td>5</td>") == 2  # five waiting, five taken
    assert "<td>10</td>" in rows["Clearing debris"]
    assert "fewer than 5" in rows["Wellness check"]  # two waiting: not shown
    assert "<td>2</td>" not in rows["Wellness check"]


def test_a_stranger_at_the_surge_board_is_sent_to_the_public_page(client, ward, flood, outsider):
    anonymous = client.get(f"/groups/{ward.slug}/incidents/{flood.pk}/")
    assert anonymous.status_code == 302 and anonymous["Location"].endswith("/progress/")
    login(client, outsider)
    assert client.get(f"/groups/{ward.slug}/incidents/{flood.pk}/").status_code == 302


def test_the_surge_board_lists_cases_by_work_type_without_contact_details(
    client, ward, helper, flood
):
    make_ask(what="Mud everywhere", **CONTACT)
    gather_open_incidents()
    case = Case.objects.get(incident=flood)
    login(client, helper)

    assessed = client.post(
        f"/groups/{ward.slug}/incidents/{flood.pk}/cases/{case.pk}/assess",
        {"needs": ["mucking-out"], "intake_water_depth_cm": "25", "intake_power": "no"},
    )
    assert assessed.status_code == 302
    taken = client.post(
        f"/groups/{ward.slug}/incidents/{flood.pk}/cases/{case.pk}/claim",
        {"work_type": "mucking-out", "group": ward.slug},
    )
    assert taken.status_code == 302
    board = client.get(f"/groups/{ward.slug}/incidents/{flood.pk}/")

    assert board.status_code == 200
    text = board.content.decode()
    assert "Mucking out" in text and f"Case {case.pk}: {ward.name}, Taken" in text
    for value in CONTACT.values():
        assert value not in text
    assert WorkClaim.objects.get(case=case).work_type == "mucking-out"
    assert Case.objects.get(pk=case.pk).intake == {"water_depth_cm": 25, "power": False}

    second = client.post(
        f"/groups/{ward.slug}/incidents/{flood.pk}/cases/{case.pk}/claim",
        {"work_type": "mucking-out", "group": ward.slug},
        follow=True,
    )
    assert "already taken by" in second.content.decode()


def test_members_propose_and_dispatchers_open_from_the_list(client, ward, helper, dispatcher):
    listing = client.get(f"/groups/{ward.slug}/incidents/")
    assert listing.status_code == 200 and "Open an incident" not in listing.content.decode()

    login(client, helper)
    form = {
        "name": "Storm Ada",
        "kind": "storm",
        "area": json.dumps(AREA),
        "work_types": ["tarping", "debris"],
        "days": "2",
    }
    proposed = client.post(f"/groups/{ward.slug}/incidents/new", form)
    assert proposed.status_code == 302
    storm = Incident.objects.get(name="Storm Ada")
    assert storm.status == IncidentStatus.PROPOSED and storm.work_types == ["tarping", "debris"]
    assert storm.intake_fields[0]["key"] == "roof_damage"

    refused = client.post(f"/groups/{ward.slug}/incidents/new", form | {"emergency": "on"})
    assert refused.status_code == 400 and "dispatchers" in refused.content.decode()
    bad = client.post(f"/groups/{ward.slug}/incidents/new", form | {"area": "not json"})
    assert bad.status_code == 400 and "not GeoJSON" in bad.content.decode()

    login(client, dispatcher)
    opened = client.post(f"/groups/{ward.slug}/incidents/new", form | {"emergency": "on"})
    assert opened.status_code == 302
    assert Incident.objects.filter(status=IncidentStatus.OPEN).count() == 1


def test_a_member_of_another_network_group_joins_from_the_public_page(client, ward, flood):
    _network, islington = network_with(ward)
    volunteer = trusted_in(islington, "volunteer@example.org")
    login(client, volunteer)

    page = client.get(f"/groups/{ward.slug}/incidents/{flood.pk}/progress/")
    assert "Join this incident" in page.content.decode()
    joined = client.post(f"/groups/{ward.slug}/incidents/{flood.pk}/join")
    assert joined.status_code == 302
    assert client.get(f"/groups/{ward.slug}/incidents/{flood.pk}/").status_code == 200


def test_a_dispatcher_closes_from_the_board(client, ward, dispatcher, flood):
    login(client, dispatcher)
    closed = client.post(f"/groups/{ward.slug}/incidents/{flood.pk}/close", follow=True)

    assert "figures are archived" in closed.content.decode()
    flood.refresh_from_db()
    assert flood.status == IncidentStatus.CLOSED and flood.figures["cases"] == 0


def test_the_api_gives_anyone_else_counts_only(client, ward, helper, flood, outsider):
    from mutua.incidents.tests.helpers import get

    for n in range(2):
        make_ask(what=f"Secret details {n}", **CONTACT)
    gather_open_incidents()

    stranger = get(client, f"/api/v1/incidents/{flood.pk}", outsider)
    assert stranger.status_code == 200
    body = stranger.json()
    assert (body["responder"], body["cases"], body["figures"]["cases"]) == (False, [], None)
    assert body["figures"]["work"]["supplies"] == {"waiting": 0, "taken": 0, "done": 0}
    for value in [*CONTACT.values(), "Secret details"]:
        assert value not in stranger.content.decode()

    member = get(client, f"/api/v1/incidents/{flood.pk}", helper).json()
    assert member["responder"] is True and member["figures"]["cases"] == 2
    assert {key for case in member["cases"] for key in case} == {
        "id",
        "ask",
        "category",
        "urgency",
        "status",
        "area",
        "needs",
        "intake",
        "work",
    }
    for value in CONTACT.values():
        assert value not in json.dumps(member)


def test_the_group_page_links_to_incidents_and_says_when_one_is_under_way(client, ward, flood):
    page = client.get(f"/groups/{ward.slug}/").content.decode()

    assert f"/groups/{ward.slug}/incidents/" in page
    assert "Incident under way" in page and flood.name in page
