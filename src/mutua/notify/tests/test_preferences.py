"""A member's notification settings page, linking a phone by text."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.notify import services
from mutua.notify.models import Preference
from mutua.notify.tests.conftest import GROUP_NUMBER, link_phone, text

pytestmark = pytest.mark.django_db

SETTINGS = {"nearby_asks": "digest", "by_email": "on", "language": "", "apprise_url": ""}


def test_the_page_needs_an_account(client):
    assert client.get("/me/notifications/").status_code == 302


def test_settings_are_saved_and_shown_again(client, helper):
    client.force_login(helper)

    response = client.post(
        "/me/notifications/",
        {
            **SETTINGS,
            "nearby_asks": "immediate",
            "language": "pl",
            "quiet_from": "22:00",
            "quiet_to": "07:00",
        },
    )

    assert response.status_code == 302
    pref = Preference.objects.get(user=helper)
    assert (pref.nearby_asks, pref.language, pref.by_email, pref.by_sms) == (
        "immediate",
        "pl",
        True,
        False,
    )
    page = client.get("/me/notifications/").content.decode()
    assert 'value="22:00"' in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"apprise_url": "nonsense"}, "Apprise cannot send to that address"),
        ({"apprise_url": "json://127.0.0.1:8080/hook"}, "Apprise cannot send to that address"),
        ({"by_sms": "on"}, "Link your phone first"),
        ({"quiet_from": "22:00"}, "Give both ends of the quiet hours"),
        ({"nearby_asks": "hourly"}, "Select a valid choice"),
    ],
)
def test_bad_settings_are_explained_and_nothing_is_saved(client, helper, fields, error):
    client.force_login(helper)

    response = client.post("/me/notifications/", {**SETTINGS, **fields})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Preference.objects.filter(user=helper).exclude(apprise_url="").exists()


def test_an_apprise_address_for_another_app_is_accepted(client, helper):
    client.force_login(helper)
    url = "tgram://123456789:AABBCCDDEEFFGGHHIIJJKKLLMMNNOOPPQQR/12345"

    client.post("/me/notifications/", {**SETTINGS, "apprise_url": url})

    assert Preference.objects.get(user=helper).apprise_url == url


def test_a_phone_is_linked_by_texting_the_code_shown(client, helper, settings):
    client.force_login(helper)

    page = client.post("/me/notifications/link", follow=True).content.decode()
    found = re.search(r"LINK (\d{8})", page)
    assert found is not None
    code = found.group(1)
    assert GROUP_NUMBER in page
    assert "now linked to" in text(f"LINK {code}", phone="+447700900222")

    page = client.get("/me/notifications/").content.decode()
    assert "Linked: 07700 900222" in page
    assert Preference.objects.get(user=helper).by_sms is True
    # A code works once.
    assert "not right or has expired" in text(f"LINK {code}", phone="+447700900333")


def test_an_old_code_does_not_link(client, helper):
    client.force_login(helper)
    client.post("/me/notifications/link")
    pref = Preference.objects.get(user=helper)
    Preference.objects.filter(pk=pref.pk).update(
        link_code_expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert "expired" in text(f"LINK {pref.link_code}", phone="+447700900222")
    assert Preference.objects.get(user=helper).phone == ""


def test_unlinking_stops_texts_and_text_commands(client, helper):
    link_phone(helper, "+447700900222")
    client.force_login(helper)

    client.post("/me/notifications/unlink")

    pref = Preference.objects.get(user=helper)
    assert (pref.phone, pref.by_sms) == ("", False)
    assert "not linked to a member" in text("LIST", phone="+447700900222")


def test_the_page_lists_the_messages_sent_and_their_state(client, helper):
    services.queue_message(
        key="test:1", channel="email", to=helper.email, subject="Hello there", body="b", user=helper
    )
    client.force_login(helper)

    page = client.get("/me/notifications/").content.decode()

    assert "Hello there" in page


def test_guessing_link_codes_from_one_number_is_cut_short(client, helper):
    client.force_login(helper)
    client.post("/me/notifications/link")
    code = Preference.objects.get(user=helper).link_code
    for guess in range(5):
        text(f"LINK {guess:08d}", phone="+447700900666")

    assert "not right" in text(f"LINK {code}", phone="+447700900666")
    assert Preference.objects.get(user=helper).phone == ""
