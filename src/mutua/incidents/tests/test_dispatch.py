"""Dispatch rounds during an incident suggest its cases to the volunteers who joined it,
and never the group's other asks."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mutua.core.tests.factories import make_ask
from mutua.incidents.models import Incident
from mutua.incidents.services.cases import gather_open_incidents
from mutua.incidents.tests.helpers import OUTSIDE, network_with, open_incident, post
from mutua.matching.models import RoundSchedule, Suggestion
from mutua.matching.services import run_due_rounds
from mutua.matching.tests.db_people import new_member

pytestmark = pytest.mark.django_db


def test_a_round_suggests_a_case_to_a_volunteer_who_joined_and_nothing_else(
    client, ward, dispatcher
):
    _network, islington = network_with(ward)
    vera = new_member(islington, "Vera", radius_km=5)
    flood = Incident.objects.get(
        pk=open_incident(client, dispatcher, ward, emergency=True).json()["id"]
    )
    case_ask = make_ask(what="Food for a flooded family")
    other_ask = make_ask(what="Shopping on a dry street", lat=OUTSIDE[0], lon=OUTSIDE[1])
    gather_open_incidents()

    assert run_due_rounds() == 1
    assert not Suggestion.objects.exists()  # Vera has not joined: not a helper of the ward

    post(client, f"/api/v1/incidents/{flood.pk}/join", {}, vera)
    RoundSchedule.objects.filter(group=ward).update(next_at=timezone.now())  # the next round
    assert run_due_rounds() == 1

    suggested = list(Suggestion.objects.values_list("ask_id", "helper_id"))
    assert suggested == [(case_ask.pk, vera.pk)]
    assert other_ask.pk not in {ask for ask, _helper in suggested}
    accepted = post(client, f"/api/v1/proposals/{Suggestion.objects.get().pk}/accept", {}, vera)
    assert accepted.status_code == 200, accepted.json()
