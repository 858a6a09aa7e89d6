"""“I could use this” on someone's offer: an ask linked to the offer, offered first to the
member who offered (as a dispatch suggestion, with the usual privacy), and on the board
once they decline or do not answer in time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.aid import services
from mutua.aid.models import Ask, AskEvent, AskStatus
from mutua.core.periodic import periodic_jobs
from mutua.core.tests.factories import HACKNEY, OfferFactory, UserFactory
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.people.services import issue_token

WHERE = f"{HACKNEY[0]}, {HACKNEY[1]}"


@pytest.fixture
def offer(ward, helper):
    return OfferFactory.create(member=helper, group=ward, what="I can shop on Saturdays")


@pytest.fixture
def neighbour(db):
    return UserFactory.create(email="neighbour@example.org")


def _answer(client, neighbour, offer, django_capture_on_commit_callbacks, **extra):
    client.force_login(neighbour)
    data = {"what": "Bread and milk, please", "place": WHERE, "consent": "on", **extra}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/offers/{offer.pk}/answer/", data)


def _on_board(client, ask) -> bool:
    return f"/asks/{ask.pk}/" in client.get("/board/", {"near": WHERE}).content.decode()


def _api_claim(client, user, ask):
    return client.post(
        f"/api/v1/asks/{ask.pk}/claim",
        headers={"Authorization": f"Bearer {issue_token(user=user)}"},
    )


def test_the_offers_page_has_the_button_on_other_peoples_offers(client, offer, neighbour, helper):
    client.force_login(neighbour)
    assert f"/offers/{offer.pk}/answer/" in client.get("/offers/").content.decode()
    client.force_login(helper)
    assert f"/offers/{offer.pk}/answer/" not in client.get("/offers/").content.decode()


def test_the_person_who_offered_sees_it_first(
    client, offer, neighbour, helper, other_helper, django_capture_on_commit_callbacks
):
    response = _answer(client, neighbour, offer, django_capture_on_commit_callbacks)
    ask = Ask.objects.get(offer=offer)
    assert response.status_code == 302 and response["Location"] == f"/asks/{ask.pk}/"
    assert (ask.asker, ask.category, ask.group) == (neighbour, offer.category, offer.group)
    assert ask.offered_until is not None
    assert "is asked first" in client.get(response["Location"]).content.decode()
    # Off the board and out of dispatch; nobody else may take it meanwhile.
    assert not _on_board(client, ask)
    assert _api_claim(client, other_helper, ask).status_code == 403
    # Suggested to the member who offered, without a dispatch run, until the hold ends.
    suggestion = Suggestion.objects.get(ask=ask)
    assert (suggestion.helper, suggestion.run, suggestion.status) == (
        helper,
        None,
        SuggestionStatus.PENDING,
    )
    assert suggestion.expires_at == ask.offered_until
    client.force_login(helper)
    page = client.get("/me/proposals/").content.decode()
    assert f'data-answers-offer="{offer.pk}"' in page
    # With the usual privacy: the address only once they take it.
    assert "12 Example Road" not in client.get(f"/asks/{ask.pk}/").content.decode()
    client.post(f"/proposals/{suggestion.pk}/accept/")
    ask.refresh_from_db()
    assert ask.status == AskStatus.CLAIMED and ask.offered_until is None
    assert ask.claims.get().helper == helper


def test_declined_it_goes_to_the_board(
    client, offer, neighbour, helper, other_helper, django_capture_on_commit_callbacks
):
    _answer(client, neighbour, offer, django_capture_on_commit_callbacks, address="12 Example Road")
    ask = Ask.objects.get(offer=offer)
    suggestion = Suggestion.objects.get(ask=ask)
    client.force_login(helper)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/proposals/{suggestion.pk}/decline/")
    ask.refresh_from_db()
    assert ask.offered_until is None and ask.status == AskStatus.OPEN
    assert ask.events.filter(kind=AskEvent.Kind.TO_BOARD).exists()
    assert _on_board(client, ask)
    assert _api_claim(client, other_helper, ask).status_code == 200


def test_unanswered_in_time_it_goes_to_the_board(
    client, offer, neighbour, django_capture_on_commit_callbacks
):
    _answer(client, neighbour, offer, django_capture_on_commit_callbacks)
    ask = Ask.objects.get(offer=offer)
    assert services.release_offered_asks() == 0  # not yet
    later = timezone.now() + timedelta(days=1)
    assert services.release_offered_asks(now=later) == 1
    assert services.release_offered_asks(now=later) == 0  # safe to run twice
    assert _on_board(client, ask)
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["release-offered-asks"].run is services.release_offered_asks


def test_a_released_claim_puts_it_on_the_board(
    client, offer, neighbour, helper, django_capture_on_commit_callbacks
):
    _answer(client, neighbour, offer, django_capture_on_commit_callbacks)
    ask = Ask.objects.get(offer=offer)
    services.claim_ask(ask=ask, helper=helper)
    services.release_ask(ask=ask, helper=helper)
    assert _on_board(client, ask)


def test_when_the_offerer_may_not_take_it_it_is_on_the_board_at_once(
    client, ward, outsider, neighbour, django_capture_on_commit_callbacks
):
    offer = OfferFactory.create(member=outsider, what="Lifts to the hospital")
    _answer(client, neighbour, offer, django_capture_on_commit_callbacks)
    ask = Ask.objects.get(offer=offer)
    assert ask.offered_until is None and ask.group == ward
    assert not Suggestion.objects.filter(ask=ask).exists()
    assert _on_board(client, ask)


def test_refusals_are_clear(client, offer, neighbour, helper, django_capture_on_commit_callbacks):
    response = _answer(client, helper, offer, django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "your own offer" in response.content.decode()
    response = _answer(client, neighbour, offer, django_capture_on_commit_callbacks, place="")
    assert response.status_code == 400 and "where help is needed" in response.content.decode()
    services.withdraw_offer(offer=offer, member=helper)
    response = _answer(client, neighbour, offer, django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "withdrawn" in response.content.decode()
    assert not Ask.objects.exists()


def test_a_visitor_logs_in_first(client, offer):
    response = client.get(f"/offers/{offer.pk}/answer/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_answers_an_offer(
    client, offer, neighbour, helper, django_capture_on_commit_callbacks
):
    token = issue_token(user=neighbour)
    body = {
        "what": "Bread and milk, please",
        "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
        "contact": {"phone": "+442079460000"},
        "consent": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/offers/{offer.pk}/answer",
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 201, response.content
    got = response.json()
    assert got["offered_first"] is True and got["group"] == offer.group.slug
    assert "phone" not in str(got) and "+44" not in str(got)
    assert Suggestion.objects.get(ask_id=got["id"]).helper == helper
    proposals = client.get(
        "/api/v1/proposals", headers={"Authorization": f"Bearer {issue_token(user=helper)}"}
    ).json()
    assert str(got["id"]) in str(proposals)
    mine = client.post(
        f"/api/v1/offers/{offer.pk}/answer",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_token(user=helper)}"},
    )
    assert mine.status_code == 400 and "detail" in mine.json()
    anonymous = client.post(
        f"/api/v1/offers/{offer.pk}/answer", data=body, content_type="application/json"
    )
    assert anonymous.status_code == 401
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/offers/{offer_id}/answer"]
