"""The asker may choose who comes: on the form, on the hotline form and by text, a claim
waits for the asker's yes before the helper sees anything; a no frees the ask and that
helper cannot take it again. The asker sees who saw their details and when."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mutua.aid.models import Ask, AskStatus
from mutua.core.tests.factories import HACKNEY, UserFactory, hold_role, make_ask, trusted
from mutua.people.services import issue_token
from mutua.privacy.models import AccessLog

pytestmark = pytest.mark.django_db

PHONE = "+442079460555"


def ask_form(**overrides: Any) -> dict[str, str]:
    data = {
        "what": "Someone to sit with my dad on Tuesday",
        "category": "check-in",
        "urgency": "2",
        "place": f"{HACKNEY[0]}, {HACKNEY[1]}",
        "address": "9 Quiet Row",
        "phone": PHONE,
        "language": "en",
        "consent": "on",
        "approve_helper": "on",
    }
    data.update(overrides)
    return data


def test_the_asker_says_no_then_yes_on_their_page_and_sees_who_saw_their_details(
    ward, helper, other_helper
):
    asker = Client()
    asker.post("/ask/", ask_form(), follow=True)
    ask = Ask.objects.get()
    assert ask.approve_helper

    first = Client()
    first.force_login(helper)
    offered = first.post(f"/asks/{ask.pk}/claim/", follow=True).content.decode()
    assert "say yes first" in offered
    assert PHONE not in offered and "9 Quiet Row" not in offered
    waiting = asker.get(f"/asks/{ask.pk}/").content.decode()
    assert f"{helper.display_name} offers to help" in waiting

    asker.post(f"/asks/{ask.pk}/decline/")
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN
    again = first.post(
        f"/api/v1/asks/{ask.pk}/claim",
        headers={"Authorization": f"Bearer {issue_token(user=helper)}"},
    )
    assert again.status_code == 403
    assert "chose someone else" in again.json()["detail"]

    second = Client()
    second.force_login(other_helper)
    second.post(f"/asks/{ask.pk}/claim/")
    assert PHONE not in second.get(f"/asks/{ask.pk}/").content.decode()
    asker.post(f"/asks/{ask.pk}/approve/")
    shown = second.get(f"/asks/{ask.pk}/").content.decode()

    assert PHONE in shown
    page = asker.get(f"/asks/{ask.pk}/").content.decode()
    seen = page.split("Who saw your details")[1].split("</section>")[0]
    # Only the helper the asker said yes to saw anything, once.
    assert seen.count("<li>") == 1
    assert f"{other_helper.display_name}, " in seen
    assert AccessLog.objects.filter(ask=ask, viewer=other_helper, reason="helper").exists()


def test_only_the_asker_answers(client, ward, helper, other_helper):
    ask = make_ask(approve_helper=True)
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")

    client.force_login(other_helper)
    refused = client.post(f"/asks/{ask.pk}/approve/", follow=True).content.decode()

    assert "Only the person who asked can answer" in refused
    assert ask.claims.get().approval == "waiting"


def test_a_caller_says_yes_by_text_after_the_hotline_recorded_the_wish(
    client, ward, helper, settings
):
    from mutua.notify.tests.conftest import GROUP_NUMBER, TOKEN, text

    settings.MUTUA_TWILIO_AUTH_TOKEN = TOKEN
    settings.MUTUA_SMS_NUMBER = GROUP_NUMBER
    settings.MUTUA_PUBLIC_URL = ""
    hold_role(ward, helper, "hotline")
    client.force_login(helper)
    client.post(
        "/hotline/",
        {
            "phone": "07700 900777",
            "name": "Mr Okafor",
            "language": "en",
            "what": "Lift to the clinic",
            "category": "transport",
            "urgency": "2",
            "place": f"{HACKNEY[0]}, {HACKNEY[1]}",
            "address": "1 Clinic Way",
            "consent": "on",
            "approve_helper": "on",
        },
    )
    ask = Ask.objects.get()
    assert ask.approve_helper

    driver = trusted(ward, UserFactory.create(email="driver@example.org"))
    driver_page = Client()
    driver_page.force_login(driver)
    driver_page.post(f"/asks/{ask.pk}/claim/")
    assert "1 Clinic Way" not in driver_page.get(f"/asks/{ask.pk}/").content.decode()

    reply = text(f"YES {ask.pk}", phone="+447700900777")

    assert "can now see how to reach you" in reply
    assert "1 Clinic Way" in driver_page.get(f"/asks/{ask.pk}/").content.decode()


def test_logging_in_or_out_forgets_the_private_links_of_this_browser(client, ward, helper):
    client.post("/ask/", ask_form(approve_helper=""), follow=True)
    ask = Ask.objects.get()
    assert PHONE in client.get(f"/asks/{ask.pk}/").content.decode()

    # Someone else uses the same browser and logs in.
    client.force_login(helper)
    assert PHONE not in client.get(f"/asks/{ask.pk}/").content.decode()


def test_someone_who_asked_by_text_chooses_to_say_yes_first(client, ward, helper, settings):
    from mutua.notify.tests.conftest import GROUP_NUMBER, TOKEN, text

    settings.MUTUA_TWILIO_AUTH_TOKEN = TOKEN
    settings.MUTUA_SMS_NUMBER = GROUP_NUMBER
    settings.MUTUA_PUBLIC_URL = ""
    asked = text("HELP shopping in Hackney Central", phone="+447700900888")
    ask = Ask.objects.get()
    assert f"text CHOOSE {ask.pk}" in asked

    chose = text(f"CHOOSE {ask.pk}", phone="+447700900888")
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")
    page = client.get(f"/asks/{ask.pk}/").content.decode()
    declined = text(f"NO {ask.pk}", phone="+447700900888")

    assert "will wait for your yes" in chose
    assert "7700 900888" not in page and "+447700900888" not in page
    assert "will not come" in declined
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN
