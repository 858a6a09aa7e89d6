"""An incident's life: proposed and opened by the group's decision, or opened at once by a
dispatcher and then confirmed (or closed, if the group does not confirm it); closed with
its figures archived. Dispatch rounds run while it is open."""

from __future__ import annotations

import pytest

from mutua.core.tests.factories import make_ask
from mutua.governance.models import LogEntry, LogKind, Proposal, ProposalStatus
from mutua.governance.services import withdraw_proposal
from mutua.governance.tests.factories import agree, decide
from mutua.incidents.models import Case, Incident, IncidentStatus
from mutua.incidents.services.lifecycle import ROUND_MINUTES
from mutua.incidents.tests.helpers import OUTSIDE, get, open_incident, post
from mutua.matching.models import Round, RoundSchedule
from mutua.matching.services import run_due_rounds

pytestmark = pytest.mark.django_db


def proposal(incident: Incident) -> Proposal:
    assert incident.proposal is not None
    return incident.proposal


def test_a_member_proposes_an_incident_and_it_opens_when_the_group_agrees(
    client, ward, helper, other_helper, dispatcher
):
    waiting = make_ask(what="Water in the kitchen")
    made = open_incident(client, helper, ward, work_types=["mucking-out", "supplies"])

    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["status"], body["emergency"], body["confirmed"]) == ("proposed", False, False)
    incident = Incident.objects.get(pk=body["id"])
    assert proposal(incident).kind == "incident"
    assert incident.intake_fields[0]["key"] == "water_depth_cm"  # the flood's own questions
    assert not Case.objects.exists()
    assert not RoundSchedule.objects.filter(group=ward).exists()

    agree(proposal(incident), helper, other_helper, dispatcher)
    assert decide(proposal(incident)).status == ProposalStatus.PASSED

    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN and incident.confirmed_at is not None
    assert list(Case.objects.filter(incident=incident).values_list("ask", flat=True)) == [
        waiting.pk
    ]
    assert LogEntry.objects.filter(group=ward, kind=LogKind.INCIDENT_OPENED).exists()


def test_a_proposed_incident_the_group_does_not_agree_to_is_not_opened(
    client, ward, helper, other_helper
):
    incident = Incident.objects.get(pk=open_incident(client, helper, ward).json()["id"])
    agree(proposal(incident), helper)

    assert decide(proposal(incident)).status == ProposalStatus.NOT_PASSED
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.NOT_OPENED and incident.opened_at is None


def test_a_dispatcher_opens_an_incident_at_once_and_the_group_confirms_it(
    client, ward, dispatcher, helper, other_helper
):
    made = open_incident(client, dispatcher, ward, emergency=True)

    assert made.status_code == 201, made.json()
    assert (made.json()["status"], made.json()["confirmed"]) == ("open", False)
    incident = Incident.objects.get(pk=made.json()["id"])
    assert proposal(incident).title.startswith("Confirm the incident")
    assert proposal(incident).status == ProposalStatus.OPEN

    agree(proposal(incident), dispatcher, helper, other_helper)
    decide(proposal(incident))

    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN and incident.confirmed_at is not None


def test_an_emergency_incident_the_group_does_not_confirm_closes_with_its_figures(
    client, ward, dispatcher, helper, other_helper
):
    incident = Incident.objects.get(
        pk=open_incident(client, dispatcher, ward, emergency=True).json()["id"]
    )
    make_ask(what="Sandbags please")
    agree(proposal(incident), dispatcher)

    assert decide(proposal(incident)).status == ProposalStatus.NOT_PASSED
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.figures["cases"] == 1
    assert RoundSchedule.objects.get(group=ward).every_minutes == 0  # as before


def test_withdrawing_the_confirmation_closes_the_incident_too(client, ward, dispatcher):
    incident = Incident.objects.get(
        pk=open_incident(client, dispatcher, ward, emergency=True).json()["id"]
    )
    withdraw_proposal(proposal=proposal(incident), member=dispatcher)

    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED


def test_only_the_groups_dispatchers_open_an_incident_at_once(client, ward, helper, outsider):
    refused = open_incident(client, helper, ward, emergency=True)
    assert refused.status_code == 403
    assert "dispatchers" in refused.json()["detail"]

    stranger = open_incident(client, outsider, ward)
    assert stranger.status_code == 403 and "detail" in stranger.json()
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "earthquake"}, "kind"),
        ({"name": "  "}, "name"),
        ({"area": {"type": "Point", "coordinates": [0, 51]}}, "area"),
        ({"area": {"type": "Polygon", "coordinates": [[["a", "b"]]]}}, "area"),
        (
            {
                "area": {
                    "type": "Polygon",
                    "coordinates": [[[-10, 40], [10, 40], [10, 60], [-10, 60], [-10, 40]]],
                }
            },
            "area",
        ),
        ({"area": ["not-a-cell"]}, "area"),
        ({"work_types": ["sandbagging"]}, "work_types"),
        ({"intake_fields": [{"key": "Bad Key", "label": "x", "type": "number"}]}, "intake_fields"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, ward, helper, fields, field):
    refused = open_incident(client, helper, ward, **fields)

    assert refused.status_code == 400, refused.json()
    assert refused.json()["field"] == field and refused.json()["detail"]
    assert not Incident.objects.exists()


def test_rounds_run_during_the_incident_and_stop_when_it_closes(client, ward, dispatcher, helper):
    made = open_incident(client, dispatcher, ward, emergency=True).json()

    schedule = RoundSchedule.objects.get(group=ward)
    assert schedule.every_minutes == ROUND_MINUTES
    make_ask(what="Clean water")
    assert run_due_rounds() == 1
    assert Round.objects.filter(group=ward).count() == 1

    closed = post(client, f"/api/v1/incidents/{made['id']}/close", {}, dispatcher)
    assert closed.status_code == 200, closed.json()
    schedule.refresh_from_db()
    assert schedule.every_minutes == 0 and schedule.next_at is None


def test_rounds_the_group_already_runs_oftener_are_left_alone(client, ward, dispatcher):
    from mutua.matching.services import set_round_schedule

    set_round_schedule(group=ward, every_minutes=2)
    made = open_incident(client, dispatcher, ward, emergency=True).json()
    assert RoundSchedule.objects.get(group=ward).every_minutes == 2

    post(client, f"/api/v1/incidents/{made['id']}/close", {}, dispatcher)
    assert RoundSchedule.objects.get(group=ward).every_minutes == 2


def test_closing_archives_the_figures_as_they_stood(
    client, ward, dispatcher, helper, django_capture_on_commit_callbacks
):
    made = open_incident(client, dispatcher, ward, emergency=True).json()
    with django_capture_on_commit_callbacks(execute=True):
        first = make_ask(what="Mud in the hall")
        make_ask(what="Fridge spoiled")
        make_ask(what="Far away", lat=OUTSIDE[0], lon=OUTSIDE[1])
    case = Case.objects.get(ask=first)
    post(
        client,
        f"/api/v1/incidents/{made['id']}/cases/{case.pk}/assess",
        {"needs": ["mucking-out"], "intake": {"water_depth_cm": 30, "power": "no"}},
        helper,
    )
    taken = post(
        client,
        f"/api/v1/incidents/{made['id']}/cases/{case.pk}/claims",
        {"work_type": "mucking-out", "group": ward.slug},
        helper,
    )
    assert taken.status_code == 201, taken.json()

    refused = post(client, f"/api/v1/incidents/{made['id']}/close", {}, helper)
    assert refused.status_code == 403
    closed = post(client, f"/api/v1/incidents/{made['id']}/close", {}, dispatcher)

    assert closed.status_code == 200
    figures = closed.json()["figures"]
    assert figures["cases"] == 2  # the ask outside the area is not a case
    assert figures["work"]["mucking-out"] == {"waiting": 0, "taken": 1, "done": 0}
    assert figures["groups_at_work"] == 1
    assert LogEntry.objects.filter(group=ward, kind=LogKind.INCIDENT_CLOSED).exists()

    # Asks after closing are not cases, and the archive does not move.
    with django_capture_on_commit_callbacks(execute=True):
        make_ask(what="After the flood")
    incident = Incident.objects.get(pk=made["id"])
    assert Case.objects.filter(incident=incident).count() == 2
    assert incident.figures == figures
    again = post(client, f"/api/v1/incidents/{made['id']}/close", {}, dispatcher)
    assert again.status_code == 409 and "closed" in again.json()["detail"]


def test_the_incident_is_in_the_list_and_the_openapi_document(client, ward, dispatcher, helper):
    made = open_incident(client, dispatcher, ward, emergency=True).json()
    listed = get(client, f"/api/v1/incidents?group={ward.slug}&status=open", helper)

    assert [i["id"] for i in listed.json()["items"]] == [made["id"]]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/incidents", "/api/v1/incidents/{incident_id}"} <= set(paths)


def test_with_two_incidents_the_last_to_close_puts_the_rounds_back(client, ward, dispatcher):
    first = open_incident(client, dispatcher, ward, emergency=True, name="Flood").json()
    second = open_incident(client, dispatcher, ward, emergency=True, name="Storm").json()
    assert RoundSchedule.objects.get(group=ward).every_minutes == ROUND_MINUTES

    post(client, f"/api/v1/incidents/{first['id']}/close", {}, dispatcher)
    assert RoundSchedule.objects.get(group=ward).every_minutes == ROUND_MINUTES
    post(client, f"/api/v1/incidents/{second['id']}/close", {}, dispatcher)
    assert RoundSchedule.objects.get(group=ward).every_minutes == 0
