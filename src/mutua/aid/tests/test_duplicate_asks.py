"""The same ask twice: the same contact with a similar text within 24 hours is not saved
again, on the form, the API, the hotline and by text (issue 21). Only someone who can
show the ask is theirs is given its private link."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mutua.aid.duplicates import normalised, similar
from mutua.aid.models import Ask, AskStatus
from mutua.aid.selectors import asker_key
from mutua.aid.tests.pages import send_ask
from mutua.aid.tests.test_pages_ask import form_data
from mutua.core.tests.factories import HACKNEY, UserFactory, hold_role, make_ask
from mutua.groups.services import join_group
from mutua.notify.tests.conftest import GROUP_NUMBER, TOKEN, text
from mutua.people.services import issue_token
from mutua.privacy.services import purge_personal_data

pytestmark = pytest.mark.django_db

PHONE = "+442079460000"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Bread and milk please", "bread & milk, please!", True),
        ("Shopping for the week: bread, milk, rice", "Shopping for the week - bread, milk", True),
        ("Prescription from the chemist", "Préscription from the chemist", True),
        ("Bread and milk", "A lift to the clinic on Tuesday", False),
        ("Dog walk", "Dog food", False),
    ],
)
def test_similar_texts_are_compared_normalised(first, second, same):
    assert similar(first, second) is same


def test_normalising_drops_case_accents_and_punctuation():
    assert normalised("  Café -- CRÈME,  brûlée! ") == "cafe creme brulee"


def test_the_same_browser_asking_again_is_shown_its_first_asks_private_link(client, ward):
    first = send_ask(client, form_data())
    again = send_ask(client, form_data(what="Shopping for the week: bread, milk and rice"))

    ask = Ask.objects.get()
    assert again.status_code == 302
    assert again.url == first.url == f"/asks/{ask.pk}/sent/"
    page = client.get(again.url).content.decode()
    assert f"This looks like ask #{ask.pk}" in page
    assert f"?key={asker_key(ask)}" in page
    # The link is text to select; with JavaScript a button copies it.
    assert 'id="private-link"' in page
    assert 'data-copy="private-link"' in page and " hidden>" in page


def test_another_browser_with_the_same_phone_is_told_but_not_given_the_link(client, ward):
    send_ask(client, form_data())
    ask = Ask.objects.get()

    stranger = Client()
    response = send_ask(stranger, form_data(name="Someone else"))

    assert response.status_code == 409
    html = response.content.decode()
    assert f"This looks like ask #{ask.pk}, sent from the same contact" in html
    assert asker_key(ask) not in html
    assert Ask.objects.count() == 1


def test_a_signed_in_asker_is_found_by_their_account(client, ward, asker):
    client.force_login(asker)
    send_ask(client, form_data(phone="", address="", place="Bethnal Green"))
    client.force_login(asker)  # logging in forgets the private links kept in the session

    again = send_ask(client, form_data(phone="", address="", place="Bethnal Green"))

    assert again.status_code == 302
    assert Ask.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    ["other text", "a day later", "done", "other phone"],
)
def test_what_is_not_a_duplicate_is_saved(client, ward, change):
    send_ask(client, form_data())
    first = Ask.objects.get()
    data = form_data()
    if change == "other text":
        data["what"] = "A lift to the clinic on Tuesday"
    elif change == "a day later":
        Ask.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=25))
    elif change == "done":
        Ask.objects.filter(pk=first.pk).update(status=AskStatus.CANCELLED)
    else:
        data["phone"] = "+442079460001"

    assert send_ask(client, data).status_code == 302
    assert Ask.objects.count() == 2


def _post(client: Client, body: dict[str, object], token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        "/api/v1/asks", json.dumps(body), content_type="application/json", headers=headers
    )


def _body(**contact: str) -> dict[str, object]:
    return {
        "what": "Prescription pick-up from the chemist",
        "category": "prescriptions",
        "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
        "contact": {"name": "Ada", "phone": "", "email": "", "address": "", **contact},
        "consent": True,
    }


def test_the_api_answers_409_with_the_existing_ask_and_no_key(client, ward):
    created = _post(client, _body(email="ada@example.org")).json()

    again = _post(client, _body(email="ADA@example.org"))

    assert again.status_code == 409
    answer = again.json()
    assert answer["detail"].startswith(f"This looks like ask #{created['id']}")
    assert answer["ask"]["id"] == created["id"]
    assert answer["ask"]["group"] == ward.slug
    assert answer["ask"]["key"] is None and answer["ask"]["url"] is None
    assert Ask.objects.count() == 1


def test_the_api_gives_the_key_to_the_asks_own_account(client, ward, asker):
    token = issue_token(user=asker)
    created = _post(client, _body(), token=token).json()

    again = _post(client, _body(), token=token).json()

    assert again["ask"]["key"] == created["key"]


@pytest.fixture
def volunteer(ward):
    user = UserFactory.create(email="hotline@example.org")
    join_group(group=ward, user=user)
    hold_role(ward, user, "hotline")
    return user


def _call(**overrides: str) -> dict[str, str]:
    data = {
        "phone": "07700 900123",
        "name": "Mrs Begum",
        "language": "en",
        "what": "Prescription to collect from the chemist",
        "category": "prescriptions",
        "urgency": "3",
        "place": f"{HACKNEY[0]}, {HACKNEY[1]}",
        "address": "4 Mare Street",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_the_hotline_is_shown_the_same_ask_and_may_record_it_when_the_caller_says_new(
    client, ward, volunteer
):
    client.force_login(volunteer)
    first = make_ask(what="Prescription to collect from chemist", contact_phone="07700900123")

    refused = client.post("/hotline/", _call(not_duplicate=""))

    assert refused.status_code == 400
    page = refused.content.decode()
    assert f'href="/asks/{first.pk}/"' in page
    assert Ask.objects.count() == 1

    recorded = client.post("/hotline/", _call(not_duplicate="on"))
    assert recorded.status_code == 302
    assert Ask.objects.count() == 2


def test_the_purge_wipes_the_contact_lookups(ward):
    ask = make_ask(contact_email="ada@example.org")
    assert ask.phone_lookup and ask.email_lookup
    Ask.objects.filter(pk=ask.pk).update(
        status=AskStatus.DONE, updated_at=timezone.now() - timedelta(days=400)
    )

    purge_personal_data()

    ask.refresh_from_db()
    assert (ask.phone_lookup, ask.email_lookup) == ("", "")


def test_a_text_asking_again_is_told_its_number(ward, settings):
    settings.MUTUA_TWILIO_AUTH_TOKEN = TOKEN
    settings.MUTUA_SMS_NUMBER = GROUP_NUMBER
    settings.MUTUA_PUBLIC_URL = ""
    text("HELP shopping in Bethnal Green", phone=PHONE)
    ask = Ask.objects.get()

    reply = text("HELP shopping in Bethnal Green", phone=PHONE)

    assert f"We have this ask already from this number: it is #{ask.pk}" in reply
    assert Ask.objects.count() == 1
