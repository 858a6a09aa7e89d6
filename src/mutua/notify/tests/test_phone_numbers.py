"""Phone numbers are E.164: the same number however it is written, and never another
number that merely ends with the same digits."""

from __future__ import annotations

import pytest

from mutua.aid.models import Ask, AskStatus
from mutua.core.phones import NotAPhoneNumber, lookup_hash, same_number, to_e164
from mutua.matching.tests.db_people import NEAR, ready_to_help
from mutua.notify.models import InboundSms, SmsSender
from mutua.notify.tests.conftest import link_phone, signed_post, text
from mutua.notify.tests.test_sms_commands import HELPER_PHONE

pytestmark = pytest.mark.django_db

ASKER = "+447700900461"


@pytest.fixture
def claimed_by_text(ward, helper):
    ready_to_help(helper, home=NEAR)
    link_phone(helper, HELPER_PHONE)
    text("HELP shopping in Hackney Central", phone=ASKER)
    ask = Ask.objects.get()
    text(f"YES {ask.pk}", phone=HELPER_PHONE)
    return ask


@pytest.mark.parametrize(
    "stranger",
    [
        "+33 7 00 90 04 61",  # a French mobile ending in the asker's last nine digits
        "+49 177 00900461",  # a German mobile with the same last ten digits
    ],
)
def test_a_number_ending_in_the_same_digits_cannot_close_the_ask(claimed_by_text, stranger):
    reply = text(f"DONE {claimed_by_text.pk}", phone=stranger)

    assert "Only the helper or the person who asked" in reply
    claimed_by_text.refresh_from_db()
    assert claimed_by_text.status == AskStatus.CLAIMED


@pytest.mark.parametrize("impossible", ["+1 009122028", "+61 4 7700 900 461", "+44 1"])
def test_a_sender_that_is_not_a_phone_number_is_refused(client, claimed_by_text, impossible):
    params = {"MessageSid": "SM1", "From": impossible, "Body": f"DONE {claimed_by_text.pk}"}

    response = signed_post(client, params)

    assert response.status_code == 400
    claimed_by_text.refresh_from_db()
    assert claimed_by_text.status == AskStatus.CLAIMED


@pytest.mark.parametrize("written", ["+44 7700 900461", "07700 900461", "0044 7700 900461"])
def test_the_asker_is_known_however_their_number_is_written(claimed_by_text, written):
    reply = text(f"DONE {claimed_by_text.pk}", phone=written)

    assert "closed" in reply
    claimed_by_text.refresh_from_db()
    assert claimed_by_text.status == AskStatus.DONE


def test_a_whatsapp_sender_keeps_the_plus_of_their_number(ward):
    text("HELP shopping in Hackney Central", phone=f"whatsapp:{ASKER}")

    ask = Ask.objects.get()
    assert ask.contact_phone == ASKER
    assert InboundSms.objects.get().phone == ASKER
    assert SmsSender.objects.filter(phone_hash=lookup_hash(ASKER)).exists()


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+44 20 7946 0000", "+442079460000"),
        ("020 7946 0000", "+442079460000"),
        ("0044 20 7946 0000", "+442079460000"),
        ("whatsapp:+447700900461", "+447700900461"),
        ("tel:+1-202-555-0143", "+12025550143"),
    ],
)
def test_numbers_are_read_as_e164_in_the_default_region(raw, e164, settings):
    settings.MUTUA_PHONE_REGION = "GB"

    assert to_e164(raw) == e164


def test_the_default_region_reads_national_numbers(settings):
    settings.MUTUA_PHONE_REGION = "US"

    assert to_e164("(202) 555-0143") == "+12025550143"
    assert not same_number("(202) 555-0143", "020 2555 0143")


@pytest.mark.parametrize("raw", ["call me maybe", "12", "+", "+44 1", "-----"])
def test_what_is_not_a_number_is_refused(raw):
    with pytest.raises(NotAPhoneNumber):
        to_e164(raw)


def test_lookup_hashes_need_the_lookup_key(settings):
    first = lookup_hash(ASKER)
    assert first == lookup_hash("07700 900461")

    settings.MUTUA_LOOKUP_KEY = "another-key"
    assert lookup_hash(ASKER) != first
