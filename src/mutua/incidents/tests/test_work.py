"""Work on an incident's cases: each group of the network takes one type of work on a case
(a second group asking for the same type is refused), and members of other groups of the
network join the incident to take its cases, and only those."""

from __future__ import annotations

import pytest

from mutua.core.tests.factories import UserFactory, make_ask, make_group, trusted
from mutua.governance.models import LogEntry, LogKind
from mutua.incidents.models import Case, Incident, Volunteer, WorkClaim
from mutua.incidents.services.cases import gather_open_incidents
from mutua.incidents.tests.helpers import get, network_with, open_incident, post, trusted_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood(client, ward, dispatcher):
    made = open_incident(client, dispatcher, ward, emergency=True)
    return Incident.objects.get(pk=made.json()["id"])


def _case(flood: Incident, **fields) -> Case:
    ask = make_ask(**fields)
    gather_open_incidents()
    return Case.objects.get(incident=flood, ask=ask)


def _claim(client, flood, case, user, work_type, group):
    return post(
        client,
        f"/api/v1/incidents/{flood.pk}/cases/{case.pk}/claims",
        {"work_type": work_type, "group": group.slug},
        user,
    )


def test_two_groups_take_different_work_on_one_case_and_a_second_claim_is_refused(
    client, ward, helper, flood
):
    _network, islington = network_with(ward)
    theirs = trusted_in(islington, "islington-helper@example.org")
    case = _case(flood, what="Roof torn, cellar flooded")

    ours = _claim(client, flood, case, helper, "mucking-out", ward)
    assert ours.status_code == 201, ours.json()
    assert ours.json() | {"id": 0} == {
        "id": 0,
        "case": case.pk,
        "work_type": "mucking-out",
        "group": ward.slug,
        "status": "claimed",
    }
    other = _claim(client, flood, case, theirs, "tarping", islington)
    assert other.status_code == 201, other.json()

    again = _claim(client, flood, case, theirs, "mucking-out", islington)
    assert again.status_code == 409
    assert again.json()["detail"] == (
        f"Mucking out on case {case.pk} is already taken by {ward.name}."
    )
    assert sorted(WorkClaim.objects.filter(case=case).values_list("work_type", "group")) == [
        ("mucking-out", ward.pk),
        ("tarping", islington.pk),
    ]
    assert LogEntry.objects.filter(group=islington, kind=LogKind.WORK_CLAIMED).count() == 1
    assert LogEntry.objects.filter(group=ward, kind=LogKind.WORK_CLAIMED).count() == 2

    done = post(
        client, f"/api/v1/incidents/{flood.pk}/claims/{other.json()['id']}/done", {}, helper
    )
    assert done.status_code == 403  # not a member of the group that took it
    done = post(
        client, f"/api/v1/incidents/{flood.pk}/claims/{other.json()['id']}/done", {}, theirs
    )
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_only_members_take_work_for_their_group_in_the_incidents_network(
    client, ward, helper, flood
):
    _network, islington = network_with(ward)
    elsewhere = make_group(name="Manchester", center=(53.48, -2.24))
    stranger = trusted_in(elsewhere, "manchester@example.org")
    case = _case(flood)

    for_others = _claim(client, flood, case, helper, "debris", islington)
    assert for_others.status_code == 403 and "Islington" in for_others.json()["detail"]
    outside = _claim(client, flood, case, stranger, "debris", elsewhere)
    assert outside.status_code == 403 and "not part of the network" in outside.json()["detail"]
    unknown = _claim(client, flood, case, helper, "sandbagging", ward)
    assert unknown.status_code == 400 and unknown.json()["field"] == "work_type"
    assert not WorkClaim.objects.exists()


def test_a_volunteer_from_another_group_of_the_network_joins_and_takes_its_cases_only(
    client, ward, flood
):
    _network, islington = network_with(ward)
    volunteer = trusted_in(islington, "volunteer@example.org")
    case = _case(flood, what="Bottled water")
    not_a_case = make_ask(what="Before and beyond the flood", lat=51.5610, lon=-0.0553)

    before = post(client, f"/api/v1/asks/{case.ask_id}/claim", {}, volunteer)
    assert before.status_code == 403

    joined = post(client, f"/api/v1/incidents/{flood.pk}/join", {}, volunteer)
    assert joined.status_code == 201, joined.json()
    assert joined.json() == {"incident": flood.pk, "home_group": islington.slug}
    assert LogEntry.objects.filter(group=ward, kind=LogKind.INCIDENT_JOINED).exists()
    again = post(client, f"/api/v1/incidents/{flood.pk}/join", {}, volunteer)
    assert again.status_code == 409

    detail = get(client, f"/api/v1/incidents/{flood.pk}", volunteer).json()
    assert detail["responder"] is True and [c["id"] for c in detail["cases"]] == [case.pk]

    taken = post(client, f"/api/v1/asks/{case.ask_id}/claim", {}, volunteer)
    assert taken.status_code == 200, taken.json()
    elsewhere = post(client, f"/api/v1/asks/{not_a_case.pk}/claim", {}, volunteer)
    assert elsewhere.status_code == 403


def test_who_may_not_join(client, ward, helper, flood, outsider):
    network_with(ward)
    member = post(client, f"/api/v1/incidents/{flood.pk}/join", {}, helper)
    assert member.status_code == 400 and "already" in member.json()["detail"]
    stranger = post(client, f"/api/v1/incidents/{flood.pk}/join", {}, outsider)
    assert stranger.status_code == 403 and "London Mutual Aid" in stranger.json()["detail"]
    assert not Volunteer.objects.exists()


def test_a_volunteers_access_ends_with_the_incident(client, ward, dispatcher, flood):
    _network, islington = network_with(ward)
    volunteer = trusted(islington, UserFactory.create(email="late@example.org"))
    case = _case(flood)
    post(client, f"/api/v1/incidents/{flood.pk}/join", {}, volunteer)
    post(client, f"/api/v1/incidents/{flood.pk}/close", {}, dispatcher)

    late = post(client, f"/api/v1/asks/{case.ask_id}/claim", {}, volunteer)
    assert late.status_code == 403
