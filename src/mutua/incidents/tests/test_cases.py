"""Asks inside an incident's area while it is open become its cases: at once, by the
new-ask hook, or by the worker's sweep when the hook missed one."""

from __future__ import annotations

import pytest

from mutua.core.periodic import periodic_jobs
from mutua.core.tests.factories import make_ask, make_group
from mutua.incidents.models import Case, Incident
from mutua.incidents.services.cases import gather_open_incidents
from mutua.incidents.tests.helpers import LAT, LON, OUTSIDE, open_incident, post
from mutua.privacy.services import purge_personal_data

pytestmark = pytest.mark.django_db


def test_a_new_ask_in_the_area_is_a_case_at_once(
    client, ward, dispatcher, django_capture_on_commit_callbacks
):
    incident = Incident.objects.get(
        pk=open_incident(client, dispatcher, ward, emergency=True).json()["id"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        inside = make_ask(what="Flooded cellar")
        outside = make_ask(what="Dry street", lat=OUTSIDE[0], lon=OUTSIDE[1])

    assert set(Case.objects.filter(incident=incident).values_list("ask", flat=True)) == {inside.pk}
    assert outside.group == ward


def test_the_sweep_finds_the_asks_the_hook_missed_and_runs_twice_safely(client, ward, dispatcher):
    incident = Incident.objects.get(
        pk=open_incident(client, dispatcher, ward, emergency=True).json()["id"]
    )
    missed = make_ask(what="Nobody heard of this one")  # its hook never ran (no commit)

    assert "incident-cases" in {job.name for job in periodic_jobs()}
    assert gather_open_incidents() == 1
    assert gather_open_incidents() == 0
    assert Case.objects.get(incident=incident).ask == missed


def test_asks_of_a_group_outside_the_incidents_are_not_its_cases(client, ward, dispatcher):
    other = make_group(name="Next door", center=(LAT, LON), radius_km=1, kind="street")
    incident = Incident.objects.get(
        pk=open_incident(client, dispatcher, ward, emergency=True).json()["id"]
    )
    theirs = make_ask(what="Routed to the smaller group")

    assert theirs.group == other
    gather_open_incidents()
    assert not Case.objects.filter(incident=incident).exists()


def test_intake_answers_are_typed_and_go_with_the_asks_personal_data(
    client, ward, dispatcher, helper, settings
):
    made = open_incident(client, dispatcher, ward, emergency=True).json()
    ask = make_ask(what="Water in the kitchen")
    gather_open_incidents()
    case = Case.objects.get(ask=ask)
    url = f"/api/v1/incidents/{made['id']}/cases/{case.pk}/assess"

    bad = post(client, url, {"needs": [], "intake": {"water_depth_cm": "deep"}}, helper)
    assert bad.status_code == 400 and "number" in bad.json()["detail"]
    unknown = post(client, url, {"intake": {"phone": "+447700900123"}}, helper)
    assert unknown.status_code == 400 and unknown.json()["field"] == "intake"

    saved = post(
        client, url, {"needs": ["supplies", "mucking-out"], "intake": {"power": "no"}}, helper
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["needs"] == ["mucking-out", "supplies"]
    assert saved.json()["intake"] == {"power": False}

    settings.MUTUA_RETENTION_DAYS = 0
    ask.status = "done"
    ask.save(update_fields=["status"])
    purge_personal_data()
    case.refresh_from_db()
    assert case.intake == {} and case.needs == ["mucking-out", "supplies"]
