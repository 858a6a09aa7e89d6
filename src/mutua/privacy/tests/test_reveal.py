"""One rule decides who sees an ask's contact and exact place (`policy.may_see_private`),
and one service logs each reveal (`services.reveal`). The page, the API, text messages
and exports all reach it, and each leaves its own channel in the access log."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from mutua.aid.disclosure import Channel
from mutua.aid.models import Ask
from mutua.aid.policy import Actor
from mutua.aid.selectors import asker_key
from mutua.core.tests.factories import make_ask, trusted
from mutua.people.services import issue_token
from mutua.privacy import services
from mutua.privacy.models import AccessLog
from mutua.privacy.policy import may_see_private
from mutua.privacy.tests.conftest import ADDRESS, PHONE

pytestmark = pytest.mark.django_db

HELPER_PHONE = "+447700900222"


def _actor(request: pytest.FixtureRequest, persona: str, ask: Ask) -> Actor:
    if persona == "anonymous":
        return Actor()
    if persona == "key holder":
        return Actor(key=asker_key(ask))
    return Actor(user=request.getfixturevalue(persona))


@pytest.mark.parametrize(
    ("persona", "allowed", "reason"),
    [
        ("asker", True, "asker"),
        ("key holder", True, "asker"),
        ("helper", True, "helper"),
        ("guardian", True, "safeguarding"),
        ("released_helper", False, "not-involved"),
        ("dispatcher", False, "not-involved"),
        ("outsider", False, "not-involved"),
        ("anonymous", False, "not-involved"),
    ],
)
def test_who_may_see_a_claimed_ask_and_why(request, planted, persona, allowed, reason):
    viewer = _actor(request, persona, planted)

    decision = may_see_private(viewer=viewer, ask=planted, channel=Channel.PAGE)

    assert (decision.allowed, decision.reason) == (allowed, reason)


def test_a_wrong_key_is_nobody(planted):
    decision = may_see_private(viewer=Actor(key="0" * 32), ask=planted, channel=Channel.API)
    assert not decision.allowed


def test_nobody_sees_details_that_were_erased_not_even_the_operator(planted, asker):
    Ask.objects.filter(pk=planted.pk).update(personal_data_erased_at=timezone.now())
    planted.refresh_from_db()
    for channel in Channel:
        decision = may_see_private(viewer=Actor(user=asker), ask=planted, channel=channel)
        assert (decision.allowed, decision.reason) == (False, "erased")


def test_the_service_logs_only_what_it_shows(planted, helper, outsider):
    shown = services.reveal(viewer=Actor(user=helper), ask=planted, channel=Channel.API)
    withheld = services.reveal(viewer=Actor(user=outsider), ask=planted, channel=Channel.API)

    assert shown.allowed and not withheld.allowed
    assert list(AccessLog.objects.values_list("viewer__email", "reason", "channel")) == [
        (helper.email, "helper", "api")
    ]


def test_the_page_and_the_api_each_log_their_own_channel(planted, helper):
    page = Client()
    page.force_login(helper)
    assert ADDRESS in page.get(f"/asks/{planted.pk}/").content.decode()

    token = issue_token(user=helper)
    body = Client().get(f"/api/v1/asks/{planted.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert body.json()["contact"]["phone"] == PHONE

    assert [(log.reason, log.channel) for log in AccessLog.objects.order_by("at", "pk")] == [
        ("helper", "web"),
        ("helper", "api"),
    ]


@pytest.fixture
def texting(settings: Any) -> None:
    from mutua.notify.tests.conftest import GROUP_NUMBER, TOKEN

    settings.MUTUA_TWILIO_AUTH_TOKEN = TOKEN
    settings.MUTUA_SMS_NUMBER = GROUP_NUMBER
    settings.MUTUA_PUBLIC_URL = ""


def test_a_text_reveals_the_contact_to_the_helper_who_took_the_ask(
    texting, ward, asker, dispatcher
):
    from mutua.notify.tests.conftest import link_phone, text

    trusted(ward, dispatcher)
    ask = make_ask(asker=asker, contact_phone=PHONE, address=ADDRESS)
    link_phone(dispatcher, HELPER_PHONE)

    reply = text(f"YES {ask.pk}", phone=HELPER_PHONE)

    assert PHONE in reply and ADDRESS in reply
    log = AccessLog.objects.get(ask=ask)
    assert (log.viewer, log.reason, log.channel) == (dispatcher, "helper", "sms")


def test_an_export_with_contact_reveals_to_the_operator_and_never_what_was_erased(planted, helper):
    erased = make_ask(contact_phone="+442079460555")
    Ask.objects.filter(pk=erased.pk).update(personal_data_erased_at=timezone.now())
    out = io.StringIO()

    call_command("export", "asks", "--format", "json", "--with-contact", stdout=out)

    rows = {row["id"]: row for row in json.loads(out.getvalue())}
    assert rows[planted.pk]["phone"] == PHONE
    assert rows[erased.pk]["phone"] is None
    logged = AccessLog.objects.filter(channel="export")
    assert [(log.ask_id, log.reason, log.viewer_id) for log in logged] == [
        (planted.pk, "operator", None)
    ]
