"""Who may take an ask, give it back, mark it done or cancel it is decided in one place
(`aid.policy`), from what the person shows: an account, the ask's private key, or the
phone a text came from. The page, the API and text messages reach the same rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mutua.aid import policy
from mutua.aid.models import Ask, AskStatus
from mutua.aid.policy import Actor, Why
from mutua.aid.selectors import active_claim, asker_key
from mutua.aid.services import claim_ask
from mutua.core.tests.factories import make_ask
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db

ASKER_PHONE = "+442079460123"
HELPER_PHONE = "+447700900222"


@pytest.fixture
def ask(ward, asker) -> Ask:
    return make_ask(what="Bread and milk, please", asker=asker, contact_phone=ASKER_PHONE)


def _status(ask: Ask) -> str:
    return str(Ask.objects.values_list("status", flat=True).get(pk=ask.pk))


@pytest.mark.parametrize(
    ("persona", "allowed", "why"),
    [
        ("helper", True, Why.MEMBER),
        # The dispatcher role sees no one's details by itself: the ward lets members it
        # trusts take asks (see test_who_may_take.py for the whole matrix).
        ("dispatcher", False, Why.UNVERIFIED),
        ("outsider", False, Why.NOT_A_MEMBER),
        ("asker", False, Why.OWN_ASK),
        ("visitor", False, Why.NO_ACCOUNT),
    ],
)
def test_who_may_take_an_ask(request, ask, persona, allowed, why):
    user = None if persona == "visitor" else request.getfixturevalue(persona)

    decision = policy.may_take(ask=ask, user=user)

    assert (decision.allowed, decision.why) == (allowed, why)
    assert bool(decision.message) is not allowed


def test_the_asker_is_known_by_account_key_or_the_phone_they_asked_from(ask, asker, helper):
    assert policy.is_asker(ask, Actor(user=asker))
    assert policy.is_asker(ask, Actor(key=asker_key(ask)))
    assert policy.is_asker(ask, Actor(phone="+442079460123"))
    assert not policy.is_asker(ask, Actor(user=helper))
    assert not policy.is_asker(ask, Actor(key="f" * 32))
    assert not policy.is_asker(ask, Actor(phone="+447700900999"))
    assert not policy.is_asker(ask, Actor())


def test_done_is_for_the_helper_or_the_asker_and_cancel_for_the_asker(ask, asker, helper, outsider):
    claim_ask(ask=ask, helper=helper)
    claim = active_claim(ask)
    by_key = Actor(key=asker_key(ask))

    assert policy.may_finish(ask=ask, claim=claim, actor=Actor(user=helper)).why == Why.HELPER
    assert policy.may_finish(ask=ask, claim=claim, actor=by_key).why == Why.ASKER
    assert not policy.may_finish(ask=ask, claim=claim, actor=Actor(user=outsider)).allowed
    assert policy.may_cancel(ask=ask, actor=by_key).allowed
    assert not policy.may_cancel(ask=ask, actor=Actor(user=helper)).allowed
    assert claim is not None
    assert not policy.may_release(claim=claim, user=asker).allowed
    assert policy.may_release(claim=claim, user=helper).allowed


# Through the page.


def test_on_the_page_the_asker_cannot_take_their_own_ask(client: Client, ask, asker):
    client.force_login(asker)

    page = client.post(f"/asks/{ask.pk}/claim/", follow=True).content.decode()

    assert "This is your own ask" in page
    assert _status(ask) == AskStatus.OPEN


def test_on_the_page_a_member_takes_the_ask_and_the_key_holder_closes_it(
    client: Client, ask, helper
):
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")
    assert _status(ask) == AskStatus.CLAIMED

    stranger = Client()
    refused = stranger.post(f"/asks/{ask.pk}/done/", follow=True).content.decode()
    assert "Only the helper or the person who asked" in refused
    assert _status(ask) == AskStatus.CLAIMED

    stranger.post(f"/asks/{ask.pk}/done/", {"key": asker_key(ask)})
    assert _status(ask) == AskStatus.DONE


# Through the API.


def _bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


def test_in_the_api_the_asker_gets_403_for_their_own_ask(client: Client, ask, asker):
    response = client.post(f"/api/v1/asks/{ask.pk}/claim", headers=_bearer(asker))

    assert response.status_code == 403
    assert response.json() == {"detail": "This is your own ask; someone else will pick it up."}
    assert _status(ask) == AskStatus.OPEN


def test_in_the_api_the_helper_may_release_and_nobody_else(client: Client, ask, helper, outsider):
    assert client.post(f"/api/v1/asks/{ask.pk}/claim", headers=_bearer(helper)).status_code == 200

    refused = client.post(f"/api/v1/asks/{ask.pk}/release", headers=_bearer(outsider))
    cancel_by_helper = client.post(f"/api/v1/asks/{ask.pk}/cancel", headers=_bearer(helper))

    assert refused.status_code == 403
    assert cancel_by_helper.status_code == 403
    assert _status(ask) == AskStatus.CLAIMED
    assert client.post(f"/api/v1/asks/{ask.pk}/release", headers=_bearer(helper)).status_code == 200
    assert _status(ask) == AskStatus.OPEN


def test_in_the_api_the_key_cancels_and_a_wrong_key_does_not(client: Client, ask):
    wrong = client.post(f"/api/v1/asks/{ask.pk}/cancel?key={'0' * 32}")
    assert wrong.status_code == 403
    assert _status(ask) == AskStatus.OPEN

    right = client.post(f"/api/v1/asks/{ask.pk}/cancel?key={asker_key(ask)}")
    assert right.status_code == 200
    assert _status(ask) == AskStatus.CANCELLED


# Through text messages.


@pytest.fixture
def texting(settings: Any) -> None:
    from mutua.notify.tests.conftest import GROUP_NUMBER, TOKEN

    settings.MUTUA_TWILIO_AUTH_TOKEN = TOKEN
    settings.MUTUA_SMS_NUMBER = GROUP_NUMBER
    settings.MUTUA_PUBLIC_URL = ""


def test_by_text_the_asker_cannot_take_their_own_ask(texting, ask, asker):
    from mutua.notify.tests.conftest import link_phone, text

    link_phone(asker, HELPER_PHONE)

    reply = text(f"YES {ask.pk}", phone=HELPER_PHONE)

    assert "This is your own ask" in reply
    assert _status(ask) == AskStatus.OPEN


def test_by_text_the_asker_closes_from_their_number_and_a_stranger_cannot(texting, ask, helper):
    from mutua.notify.tests.conftest import text

    claim_ask(ask=ask, helper=helper)

    refused = text(f"DONE {ask.pk}", phone="+447700900999")
    assert "Only the helper or the person who asked" in refused
    assert _status(ask) == AskStatus.CLAIMED

    closed = text(f"DONE {ask.pk}", phone="+442079460123")
    assert "closed" in closed
    assert _status(ask) == AskStatus.DONE
