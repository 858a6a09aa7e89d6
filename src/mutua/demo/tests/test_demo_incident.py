"""The demo ward is in incident mode: a flash flood over a few of its streets, with two
types of work and the flooded homes' asks as cases, one assessed and taken on, shown to
the demo login on the incident pages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from mutua.demo import network as demo
from mutua.demo.network.incident import ASKS
from mutua.groups.models import Group, GroupKind
from mutua.incidents.models import Case, Incident, IncidentStatus, WorkClaim
from mutua.notify.models import Message
from mutua.people.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_ward_has_a_flood_incident_with_cases():
    call_command("demo", "--size", "tiny", stdout=StringIO(), stderr=StringIO())
    user = User.objects.get(email=demo.DEMO_EMAIL)
    ward = Group.objects.get(memberships__user=user, kind=GroupKind.WARD)

    incident = Incident.objects.get()
    assert (incident.group, incident.kind, incident.status) == (ward, "flood", IncidentStatus.OPEN)
    assert incident.work_types == ["mucking-out", "supplies"]
    cases = Case.objects.filter(incident=incident)
    # The flooded homes' two asks, and perhaps another ask open in those streets.
    texts = {c.ask.what for c in cases.select_related("ask")}
    assert {what for what, *_rest in ASKS} <= texts and len(texts) < 6
    claim = WorkClaim.objects.get()
    assert (claim.group, claim.work_type) == (ward, "mucking-out")
    assert claim.case.ask.what == ASKS[0][0]
    assert claim.case.needs and claim.case.intake["water_depth_cm"] == 40
    # Nobody is told of a made-up flood.
    assert not Message.objects.exists()

    client = Client()
    assert client.login(email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD)
    listed = client.get(f"/groups/{ward.slug}/incidents/").content.decode()
    assert incident.name in listed
    board = client.get(f"/groups/{ward.slug}/incidents/{incident.pk}/")
    assert board.status_code == 200
    html = board.content.decode()
    assert "Mucking out" in html and "Bringing supplies" in html
    assert f"/groups/{ward.slug}/incidents/{incident.pk}/cases/{claim.case_id}/" in html

    # Building it again (or --if-empty) changes nothing: still the one incident.
    call_command("demo", "--size", "tiny", "--if-empty", stdout=StringIO(), stderr=StringIO())
    call_command("demo", "--size", "tiny", stdout=StringIO(), stderr=StringIO())
    assert Incident.objects.count() == 1 and Case.objects.count() == cases.count()
