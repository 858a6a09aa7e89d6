"""A helper's suggestions: seen on /me/proposals/ and /me/, accepted or declined by button."""

from __future__ import annotations

import pytest

from mutua.aid.models import AskStatus
from mutua.aid.services import claim_ask
from mutua.core.tests.factories import make_ask
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.matching.services import run_dispatch
from mutua.matching.tests.db_people import FURTHER, NEAR, ready_to_help
from mutua.people.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(ward, helper, asker):
    """An ask from the asker, proposed to the helper by a dispatch run."""
    ready_to_help(helper, home=NEAR)
    ask = make_ask(what="Bread and milk, please", asker=asker, contact_phone="+442079460123")
    run_dispatch(groups=[ward])
    return Suggestion.objects.get(ask=ask, helper=helper)


def test_suggestions_page_needs_an_account(client):
    response = client.get("/me/proposals/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/proposals/"


def test_the_helper_sees_the_public_part_of_the_ask_and_two_buttons(client, helper, proposed):
    client.force_login(helper)

    html = client.get("/me/proposals/").content.decode()

    assert "Bread and milk, please" in html
    assert "Hackney Central" in html
    assert f'action="/proposals/{proposed.pk}/accept/"' in html
    assert f'action="/proposals/{proposed.pk}/decline/"' in html
    # Nothing private before the helper says yes.
    assert "7946 0123" not in html
    assert "Example Road" not in html


def test_my_page_says_how_many_asks_are_waiting_for_an_answer(client, helper, proposed):
    client.force_login(helper)

    html = client.get("/me/").content.decode()

    assert "1 ask suggested for you" in html
    assert 'href="/me/proposals/"' in html


def test_accepting_claims_the_ask_and_shows_the_contact(client, helper, proposed):
    client.force_login(helper)

    response = client.post(f"/proposals/{proposed.pk}/accept/", follow=True)

    assert response.redirect_chain[-1][0] == f"/asks/{proposed.ask_id}/"
    html = response.content.decode()
    assert "It is yours." in html
    assert "+442079460123" in html
    proposed.ask.refresh_from_db()
    assert proposed.ask.status == AskStatus.CLAIMED
    assert "Bread and milk" not in client.get("/me/proposals/").content.decode()


def test_declining_takes_it_off_my_list_and_frees_the_ask(client, helper, proposed):
    client.force_login(helper)

    response = client.post(f"/proposals/{proposed.pk}/decline/", follow=True)

    html = response.content.decode()
    assert "The ask goes back to the group." in html
    assert "Nothing is waiting for you right now." in html
    proposed.refresh_from_db()
    assert proposed.status == SuggestionStatus.DECLINED
    proposed.ask.refresh_from_db()
    assert proposed.ask.status == AskStatus.OPEN


def test_declined_ask_is_proposed_to_the_next_helper(client, ward, helper, other_helper, proposed):
    ready_to_help(other_helper, home=FURTHER)
    client.force_login(helper)
    client.post(f"/proposals/{proposed.pk}/decline/")

    run_dispatch(groups=[ward])

    assert Suggestion.objects.get(status=SuggestionStatus.PENDING).helper == other_helper


def test_accepting_after_someone_else_took_it_says_so(client, helper, other_helper, proposed):
    claim_ask(ask=proposed.ask, helper=other_helper)
    client.force_login(helper)

    response = client.post(f"/proposals/{proposed.pk}/accept/", follow=True)

    assert response.redirect_chain[-1][0] == "/me/proposals/"
    assert "Someone else has already taken this ask." in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == SuggestionStatus.SUPERSEDED


def test_nobody_else_can_answer_my_suggestion(client, other_helper, proposed):
    client.force_login(other_helper)

    response = client.post(f"/proposals/{proposed.pk}/accept/", follow=True)

    assert "This suggestion was made to someone else." in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == SuggestionStatus.PENDING


def test_answering_twice_explains_instead_of_failing(client, helper, proposed):
    client.force_login(helper)
    client.post(f"/proposals/{proposed.pk}/accept/")

    response = client.post(f"/proposals/{proposed.pk}/decline/", follow=True)

    assert "You have already accepted this ask." in response.content.decode()
    assert response.status_code == 200


def test_visitors_are_sent_to_log_in_and_unknown_suggestions_are_404(client, helper, proposed):
    response = client.post(f"/proposals/{proposed.pk}/accept/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    proposed.refresh_from_db()
    assert proposed.status == SuggestionStatus.PENDING

    client.force_login(helper)
    assert client.post("/proposals/999999/decline/").status_code == 404
    assert client.get(f"/proposals/{proposed.pk}/accept/").status_code == 405


def test_the_profile_form_sets_how_many_asks_at_once(client, helper):
    client.force_login(helper)
    form = {
        "display_name": "Sam",
        "travel_radius_km": "3",
        "max_asks_at_once": "4",
        "home_place": "",
        "lat": "",
        "lon": "",
    }

    client.post("/me/", form)
    assert Profile.objects.get(user=helper).max_asks_at_once == 4

    response = client.post("/me/", {**form, "max_asks_at_once": "0"})
    assert response.status_code == 400
    assert Profile.objects.get(user=helper).max_asks_at_once == 4
    assert 'name="max_asks_at_once"' in client.get("/me/").content.decode()
