"""The inbound webhook: Twilio's signature checked, TwiML replies, retried deliveries once."""

from __future__ import annotations

from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from mutua.aid.models import Ask
from mutua.notify.models import InboundSms
from mutua.notify.tests.conftest import GROUP_NUMBER, reply_of, signed_post

pytestmark = pytest.mark.django_db

PARAMS = {
    "MessageSid": "SM0123456789abcdef0123456789abcdef",
    "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "From": "+447700900111",
    "To": GROUP_NUMBER,
    "Body": "HELP shopping in Hackney Central",
    "NumMedia": "0",
}


def test_a_signed_text_is_answered_with_twiml(client, ward):
    response = signed_post(client, PARAMS)

    assert "Your ask #" in reply_of(response)
    assert Ask.objects.count() == 1


def test_a_bad_signature_is_refused_and_nothing_is_saved(client, ward):
    response = signed_post(client, PARAMS, token="not-the-token")

    assert response.status_code == 403
    assert not Ask.objects.exists()
    assert not InboundSms.objects.exists()


def test_a_signature_for_other_parameters_is_refused(client, ward):
    forged = {**PARAMS, "Body": "HELP something else in Hackney Central"}
    good = signed_post(Client(), PARAMS)  # a genuine signature, for the original body
    signature = good.wsgi_request.headers["X-Twilio-Signature"]

    response = client.post(
        "/sms/inbound",
        urlencode(forged),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )

    assert response.status_code == 403


def test_a_missing_signature_is_refused(client, ward):
    response = client.post(
        "/sms/inbound", urlencode(PARAMS), content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 403
    assert not Ask.objects.exists()


def test_without_a_token_set_every_text_is_refused(client, ward, settings):
    settings.MUTUA_TWILIO_AUTH_TOKEN = ""

    response = signed_post(client, PARAMS, token="")

    assert response.status_code == 403
    assert "not set up" in response.content.decode()


def test_behind_a_proxy_the_public_address_is_what_is_signed(client, ward, settings):
    settings.MUTUA_PUBLIC_URL = "https://aid.example.org"

    wrong = signed_post(client, PARAMS)  # signed for http://testserver/...
    right = signed_post(
        client, {**PARAMS, "MessageSid": "SM2"}, url="https://aid.example.org/sms/inbound"
    )

    assert wrong.status_code == 403
    assert right.status_code == 200


def test_a_signed_request_without_a_sender_is_a_clear_400(client, ward):
    params = {k: v for k, v in PARAMS.items() if k != "From"}

    response = signed_post(client, params)

    assert response.status_code == 400
    assert "sender" in response.content.decode()


def test_a_text_longer_than_twilio_sends_is_read_up_to_its_limit(client, ward):
    # Twilio stops at 1,600 characters; another gateway may not, and the sender is still
    # someone asking for help.
    params = {**PARAMS, "Body": "HELP shopping in Hackney Central " + "please " * 300}

    response = signed_post(client, params)

    assert response.status_code == 200
    assert "Your ask #" in reply_of(response)
    assert Ask.objects.count() == 1


def test_get_is_not_allowed(client):
    assert client.get("/sms/inbound").status_code == 405


def test_a_retried_delivery_is_processed_once_with_the_same_reply(client, ward):
    first = reply_of(signed_post(client, PARAMS))
    second = reply_of(signed_post(client, PARAMS))

    assert first == second
    assert Ask.objects.count() == 1
    assert InboundSms.objects.get().message_sid == PARAMS["MessageSid"]


def test_a_retried_stop_is_answered_the_same(client, ward):
    params = {**PARAMS, "Body": "STOP", "MessageSid": "SMstop"}

    first = reply_of(signed_post(client, params))
    second = reply_of(signed_post(client, params))

    assert first == second
    assert "no more texts" in first


# `mutua sms`: a text to a running server, signed as Twilio signs it.


def test_mutua_sms_texts_a_running_server(live_server, ward):
    out = StringIO()

    call_command(
        "sms",
        "+447700900111",
        "HELP shopping in Hackney Central",
        url=f"{live_server.url}/sms/inbound",
        stdout=out,
    )

    ask = Ask.objects.get()
    assert f"Your ask #{ask.pk}" in out.getvalue()


def test_mutua_sms_says_in_one_line_what_is_wrong(live_server, settings):
    # The server checks the signature against its public address, which this is not.
    settings.MUTUA_PUBLIC_URL = "https://aid.example.org"
    with pytest.raises(CommandError, match="answered 403: The request's signature"):
        call_command(
            "sms", "+447700900111", "HELP", url=f"{live_server.url}/sms/inbound", stdout=StringIO()
        )
    settings.MUTUA_TWILIO_AUTH_TOKEN = ""
    with pytest.raises(CommandError, match="Set MUTUA_TWILIO_AUTH_TOKEN"):
        call_command("sms", "+447700900111", "HELP")
    settings.MUTUA_TWILIO_AUTH_TOKEN = "x"
    with pytest.raises(CommandError, match="Cannot reach"):
        call_command("sms", "+447700900111", "HELP", url="http://127.0.0.1:1/sms/inbound")
    with pytest.raises(CommandError, match="must start with http"):
        call_command("sms", "+447700900111", "HELP", url="ftp://example.org/")
