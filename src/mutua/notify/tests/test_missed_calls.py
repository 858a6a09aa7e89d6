"""A missed call or voicemail on the group's number: the provider's status callback,
signed like the SMS webhook, answered with a text offering to text instead, in the
caller's language; unsigned callbacks refused."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from mutua.notify.models import Message, MessageStatus
from mutua.notify.tests.conftest import GROUP_NUMBER, TOKEN, text

pytestmark = pytest.mark.django_db

CALLER = "+447700900444"
URL = "http://testserver/voice/status"


@pytest.fixture
def callback(django_capture_on_commit_callbacks):
    """Post a status callback signed as Twilio signs it; what the request queues is sent
    once it commits, as outside a test transaction."""

    def post(params: dict[str, str], *, token: str = TOKEN) -> Any:
        signature = RequestValidator(token).compute_signature(URL, params)
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                "/voice/status",
                urlencode(params),
                content_type="application/x-www-form-urlencoded",
                HTTP_X_TWILIO_SIGNATURE=signature,
            )

    return post


def call(status: str, *, sid: str = "CA1", phone: str = CALLER, **extra: str) -> dict[str, str]:
    return {"CallSid": sid, "From": phone, "To": GROUP_NUMBER, "CallStatus": status, **extra}


def test_a_missed_call_gets_a_text_offering_to_text_instead(callback, sms_gateway, ward):
    response = callback(call("no-answer"))

    assert response.status_code == 204
    [sent] = sms_gateway.sent_to(CALLER)
    assert "Sorry we missed your call" in sent and "HELP" in sent and "STOP" in sent
    assert Message.objects.get().status == MessageStatus.SENT


def test_a_voicemail_gets_the_same_offer_and_an_answered_call_none(callback, sms_gateway, ward):
    callback(call("completed", sid="CA2", phone="+447700900555"))
    callback(call("completed", sid="CA3", RecordingSid="RE1", RecordingUrl="https://x.example/r"))

    assert sms_gateway.sent_to("+447700900555") == []
    assert len(sms_gateway.sent_to(CALLER)) == 1


def test_the_offer_is_in_the_callers_language(callback, sms_gateway, ward):
    text("SÍ", phone=CALLER)  # the number wrote in Spanish before
    callback(call("busy"))
    callback(call("no-answer", sid="CA9", phone="+48500100200", FromCountry="PL"))

    [spanish] = sms_gateway.sent_to(CALLER)
    [polish] = sms_gateway.sent_to("+48500100200")
    assert "Perdona que no pudimos contestar" in spanish
    assert "Przepraszamy, że nie odebraliśmy" in polish


def test_retried_callbacks_and_calls_again_the_same_day_get_one_text(callback, sms_gateway, ward):
    callback(call("no-answer", sid="CA4"))
    callback(call("no-answer", sid="CA4"))
    callback(call("busy", sid="CA5"))

    assert len(sms_gateway.sent_to(CALLER)) == 1


def test_a_number_that_sent_stop_gets_nothing(callback, sms_gateway, ward):
    text("STOP", phone=CALLER)

    callback(call("no-answer"))

    assert sms_gateway.sent_to(CALLER) == []


def test_unsigned_or_wrongly_signed_callbacks_are_refused(callback, sms_gateway, ward, settings):
    params = call("no-answer")
    unsigned = Client().post(
        "/voice/status", urlencode(params), content_type="application/x-www-form-urlencoded"
    )
    forged = callback(params, token="not-the-token")
    settings.MUTUA_TWILIO_AUTH_TOKEN = ""
    unconfigured = callback(params)

    assert [r.status_code for r in (unsigned, forged, unconfigured)] == [403, 403, 403]
    assert not Message.objects.exists()
    assert sms_gateway.texts == []


def test_a_callback_without_a_caller_is_a_bad_request(callback, sms_gateway, ward):
    response = callback({"CallSid": "CA6", "CallStatus": "no-answer"})

    assert response.status_code == 400
    assert not Message.objects.exists()
