"""Dispatch suggestions answered through the API, as on the suggestions page."""

from __future__ import annotations

import pytest

from mutua.aid.models import AskStatus
from mutua.core.tests.factories import make_ask
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.matching.services import run_dispatch
from mutua.matching.tests.db_people import NEAR, ready_to_help
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(ward, helper, asker):
    ready_to_help(helper, home=NEAR)
    ask = make_ask(what="Bread and milk, please", asker=asker, contact_phone="+442079460123")
    run_dispatch(groups=[ward])
    return Suggestion.objects.get(ask=ask, helper=helper)


def bearer(user):
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


def test_the_helper_lists_suggestions_without_private_details(client, helper, proposed):
    response = client.get("/api/v1/proposals", headers=bearer(helper))

    items = response.json()["items"]
    assert [(p["id"], p["status"], p["ask"]["what"]) for p in items] == [
        (proposed.pk, "pending", "Bread and milk, please")
    ]
    assert items[0]["approx_km"] >= 0.5
    assert "7946 0123" not in response.content.decode()


def test_accepting_claims_the_ask_and_a_second_answer_is_a_conflict(client, helper, proposed):
    token = bearer(helper)

    accepted = client.post(f"/api/v1/proposals/{proposed.pk}/accept", headers=token)
    again = client.post(f"/api/v1/proposals/{proposed.pk}/decline", headers=token)

    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    proposed.ask.refresh_from_db()
    assert proposed.ask.status == AskStatus.CLAIMED
    assert again.status_code == 409
    detail = client.get(f"/api/v1/asks/{proposed.ask_id}", headers=token).json()
    assert detail["contact"]["phone"] == "+442079460123"


def test_only_the_helper_it_was_made_to_can_answer(client, other_helper, proposed):
    refused = client.post(f"/api/v1/proposals/{proposed.pk}/decline", headers=bearer(other_helper))

    assert refused.status_code == 403
    proposed.refresh_from_db()
    assert proposed.status == SuggestionStatus.PENDING


def test_declining_frees_the_ask(client, helper, proposed):
    response = client.post(f"/api/v1/proposals/{proposed.pk}/decline", headers=bearer(helper))

    assert response.json()["status"] == "declined"
    proposed.ask.refresh_from_db()
    assert proposed.ask.status == AskStatus.OPEN
    assert client.get("/api/v1/proposals", headers=bearer(helper)).json()["items"] == []
