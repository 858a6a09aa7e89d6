"""A person downloads everything held about them and erases their account."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from mutua.aid.models import Ask, AskStatus, Claim, Offer
from mutua.core.tests.factories import OfferFactory, make_ask
from mutua.groups.models import Membership
from mutua.people.models import User
from mutua.people.services import issue_token
from mutua.privacy.models import AccessLog
from mutua.privacy.services import export_person
from mutua.privacy.tests.conftest import ADDRESS, EMAIL, NAME, PHONE


def test_the_privacy_page_shows_who_saw_my_details(client, planted, asker, helper, guardian):
    seer = Client()
    seer.force_login(guardian)
    seer.get(f"/asks/{planted.pk}/")
    client.force_login(asker)

    body = client.get("/me/privacy/").content.decode()

    assert guardian.display_name in body
    assert "safeguarding" in body
    assert helper.display_name not in body  # the helper has not looked yet


def test_my_download_holds_my_account_asks_contact_and_who_saw_them(
    client, planted, asker, guardian
):
    seer = Client()
    seer.force_login(guardian)
    seer.get(f"/asks/{planted.pk}/")
    client.force_login(asker)

    response = client.get("/me/privacy/export")

    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["email"] == "asker@example.org"
    (ask,) = data["tables"]["aid.ask"]
    assert (ask["contact_name"], ask["contact_phone"], ask["contact_email"], ask["address"]) == (
        NAME,
        PHONE,
        EMAIL,
        ADDRESS,
    )
    assert data["tables"]["people.user"][0]["email"] == "asker@example.org"
    assert "password" not in data["tables"]["people.user"][0]
    assert [v["reason"] for v in data["who_saw_my_asks"]] == ["safeguarding"]


def test_the_command_line_download_matches_the_page(client, planted, asker):
    out = io.StringIO()
    call_command("export", "--person", "asker@example.org", stdout=out)

    data = json.loads(out.getvalue())
    assert data["tables"]["aid.ask"][0]["contact_phone"] == PHONE
    with pytest.raises(CommandError, match="no account"):
        call_command("export", "--person", "nobody@example.org")


def test_erasing_needs_my_email_typed_exactly(client, asker, planted):
    client.force_login(asker)

    response = client.post("/me/privacy/erase", {"confirm_email": "someone@else.org"})

    assert response.status_code == 400
    assert "Type your email address exactly" in response.content.decode()
    assert User.objects.get(pk=asker.pk).is_active


def test_erasure_round_trip(client, asker, helper, planted):
    token = issue_token(user=asker)
    asker.set_password("pw-before-erase")
    asker.save()
    assert Client().login(email="asker@example.org", password="pw-before-erase")
    open_ask = make_ask(asker=asker, contact_phone="+442079460993")
    OfferFactory.create(member=asker, what="Lifts to the clinic")
    client.force_login(asker)
    before = json.loads(client.get("/me/privacy/export").content)
    assert len(before["tables"]["aid.ask"]) == 2

    response = client.post("/me/privacy/erase", {"confirm_email": "ASKER@example.org"})

    assert response.status_code == 302
    user = User.objects.get(pk=asker.pk)
    assert not user.is_active and not user.has_usable_password()
    assert "asker@example.org" not in user.email
    assert user.display_name.startswith("Neighbour ")
    # Logged out, and the login and the token no longer work.
    assert client.get("/me/").status_code == 302
    assert not Client().login(email="asker@example.org", password="pw-before-erase")
    api = Client().get("/api/v1/claims", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    # Asks anonymised, the open one withdrawn; the helper's claim stays.
    for ask in Ask.objects.filter(pk__in=[planted.pk, open_ask.pk]):
        assert ask.asker_id is None
        assert (ask.contact_name, ask.contact_phone, ask.contact_email, ask.address) == ("",) * 4
    assert Ask.objects.get(pk=open_ask.pk).status == AskStatus.CANCELLED
    assert Claim.objects.filter(ask=planted, helper=helper).exists()
    assert not Offer.objects.get(member=user).active
    assert not Membership.objects.filter(user=user).exists()
    assert not AccessLog.objects.filter(ask__in=[planted, open_ask]).exists()
    # What is held now is the pseudonym and the offer, nothing that reaches the person.
    after = json.loads(export_person(user=user))
    text = json.dumps(after)
    assert "asker@example.org" not in text and PHONE not in text and NAME not in text
    assert "aid.ask" not in after["tables"]


def test_erasure_ends_the_persons_sessions_on_every_browser(client, asker, helper):
    asker.set_password("pw-before-erase")
    asker.save()
    # The asker is also signed in on a shared library computer they forgot about.
    library = Client()
    assert library.login(email="asker@example.org", password="pw-before-erase")
    assert library.get("/me/").status_code == 200
    forgotten = library.session.session_key
    neighbour = Client()
    neighbour.force_login(helper)
    client.login(email="asker@example.org", password="pw-before-erase")

    response = client.post("/me/privacy/erase", {"confirm_email": "asker@example.org"})

    assert response.status_code == 302
    # Gone from the session store, not merely refused: nothing of it is left to steal.
    assert not Session.objects.filter(session_key=forgotten).exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(asker.pk)
    ]
    assert library.get("/me/").status_code == 302
    # Everyone else stays signed in.
    assert neighbour.get("/me/").status_code == 200
