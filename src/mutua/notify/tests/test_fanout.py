"""Notifications end to end: an event on the site, a message on a real SMTP server (aiosmtpd
on loopback) or a real HTTP SMS gateway, with retries when the server is away."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mutua.aid.models import Ask
from mutua.core.tests.factories import make_ask
from mutua.matching.services import run_dispatch
from mutua.matching.tests.db_people import NEAR, ready_to_help
from mutua.notify import services
from mutua.notify.models import Message, MessageStatus
from mutua.notify.scheduler import Scheduler
from mutua.notify.services import fanout
from mutua.notify.tests.conftest import link_phone, text

pytestmark = pytest.mark.django_db


def _claim_on_the_web(client, user, ask, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(f"/asks/{ask.pk}/claim/")
    assert response.status_code == 302


def test_the_asker_is_emailed_when_their_ask_is_claimed(
    client, smtp_server, asker, helper, django_capture_on_commit_callbacks
):
    ask = make_ask(what="Bread and milk, please", asker=asker)

    _claim_on_the_web(client, helper, ask, django_capture_on_commit_callbacks)

    smtp_server.wait(1)
    [mail] = smtp_server.to("asker@example.org")
    assert f"#{ask.pk}" in mail["Subject"]
    body = mail.get_content()
    assert helper.display_name in body
    assert "Bread and milk, please" in body
    assert Message.objects.get(user=asker).status == MessageStatus.SENT


def test_the_asker_is_emailed_when_the_helper_marks_it_done(
    client, smtp_server, asker, helper, django_capture_on_commit_callbacks
):
    ask = make_ask(asker=asker)
    _claim_on_the_web(client, helper, ask, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/asks/{ask.pk}/done/")

    smtp_server.wait(2)
    subjects = [m["Subject"] for m in smtp_server.to("asker@example.org")]
    assert any("is done" in s for s in subjects), subjects


def test_an_asker_without_an_account_is_emailed_at_the_address_they_gave(
    client, smtp_server, ward, helper, settings, django_capture_on_commit_callbacks
):
    settings.MUTUA_PUBLIC_URL = "https://aid.example.org"
    ask = make_ask(contact_email="ada@example.net", address="12 Example Road")

    _claim_on_the_web(client, helper, ask, django_capture_on_commit_callbacks)

    smtp_server.wait(1)
    [mail] = smtp_server.to("ada@example.net")
    # Their private link, so they can see and cancel the ask without an account.
    found = re.search(r"https://aid\.example\.org(/asks/\d+/\?key=\w+)", mail.get_content())
    assert found is not None
    page = Client().get(found.group(1)).content.decode()
    assert "12 Example Road" in page


def test_someone_who_asked_by_text_is_texted_when_it_is_claimed(
    client, ward, helper, sms_gateway, django_capture_on_commit_callbacks
):
    text("HELP shopping in Hackney Central", phone="+447700900111")
    ask = Ask.objects.get()

    _claim_on_the_web(client, helper, ask, django_capture_on_commit_callbacks)

    [sent] = sms_gateway.sent_to("+447700900111")
    assert f"#{ask.pk}" in sent
    assert "STOP" in sent


def test_no_text_goes_to_a_number_that_sent_stop(
    client, ward, helper, sms_gateway, django_capture_on_commit_callbacks
):
    text("HELP shopping in Hackney Central", phone="+447700900111")
    text("STOP", phone="+447700900111")

    _claim_on_the_web(client, helper, Ask.objects.get(), django_capture_on_commit_callbacks)

    assert sms_gateway.texts == []
    assert Message.objects.get().status == MessageStatus.SKIPPED


def test_a_dispatch_suggestion_reaches_the_helper_by_email_and_text(
    smtp_server, sms_gateway, ward, helper, asker, django_capture_on_commit_callbacks
):
    ready_to_help(helper, home=NEAR)
    link_phone(helper, "+447700900222")
    ask = make_ask(asker=asker)
    run_dispatch(groups=[ward])

    # The worker's scheduler queues the periodic jobs; the test backend runs them at once.
    with django_capture_on_commit_callbacks(execute=True):
        Scheduler().run_once()

    smtp_server.wait(2)
    # The helper also gets the day's digest, as a member who did not opt out of it.
    [mail] = [m for m in smtp_server.to("helper@example.org") if "Could you help" in m["Subject"]]
    assert f"YES {ask.pk}" in mail.get_content()
    assert f"Can you help with ask #{ask.pk}" in " ".join(sms_gateway.sent_to("+447700900222"))
    # The next pass tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_new_suggestions() == 0


def test_members_who_chose_straight_away_hear_of_new_asks_that_fit(
    client, smtp_server, ward, helper, other_helper, django_capture_on_commit_callbacks
):
    ready_to_help(helper, home=NEAR, skills=("groceries",))
    ready_to_help(other_helper, home=NEAR, skills=("pets",))
    for member in (helper, other_helper):
        client.force_login(member)
        client.post("/me/notifications/", {"nearby_asks": "immediate", "by_email": "on"})

    with django_capture_on_commit_callbacks(execute=True):
        ask = make_ask(category="groceries")

    smtp_server.wait(1)
    [mail] = smtp_server.to("helper@example.org")
    assert f"#{ask.pk}" in mail["Subject"]
    assert smtp_server.to("other-helper@example.org") == []


def test_the_daily_digest_goes_once(smtp_server, ward, helper, django_capture_on_commit_callbacks):
    ready_to_help(helper, home=NEAR)
    make_ask(what="Digest me")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests() == 1
        assert services.send_digests() == 0

    smtp_server.wait(1)
    [mail] = smtp_server.to("helper@example.org")
    assert "Digest me" in mail.get_content()


def test_quiet_hours_hold_a_message_until_they_end(
    client, smtp_server, asker, helper, settings, django_capture_on_commit_callbacks
):
    settings.TIME_ZONE = "UTC"
    now = timezone.localtime()
    start = (now - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    client.force_login(asker)
    client.post(
        "/me/notifications/",
        {
            "nearby_asks": "digest",
            "by_email": "on",
            "quiet_from": start.strftime("%H:%M"),
            "quiet_to": end.strftime("%H:%M"),
        },
    )
    ask = make_ask(asker=asker)

    _claim_on_the_web(client, helper, ask, django_capture_on_commit_callbacks)

    message = Message.objects.get(user=asker)
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at > timezone.now() + timedelta(minutes=50)
    assert services.deliver_due() == 0
    assert services.deliver_due(now=message.next_attempt_at) == 1
    smtp_server.wait(1)
    assert len(smtp_server.to("asker@example.org")) == 1


def test_the_helper_is_told_when_the_asker_cancels_an_ask_they_took(
    client, smtp_server, asker, helper, django_capture_on_commit_callbacks
):
    ask = make_ask(asker=asker)
    _claim_on_the_web(client, helper, ask, django_capture_on_commit_callbacks)
    client.force_login(asker)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/asks/{ask.pk}/cancel/")

    smtp_server.wait(2)
    [mail] = smtp_server.to("helper@example.org")
    assert f"Ask #{ask.pk} was cancelled" in mail["Subject"]


def test_every_waiting_suggestion_is_told_however_many(
    smtp_server, ward, helper, other_helper, monkeypatch, django_capture_on_commit_callbacks
):
    ready_to_help(helper, home=NEAR)
    ready_to_help(other_helper, home=NEAR)
    make_ask()
    make_ask()
    run_dispatch(groups=[ward])
    monkeypatch.setattr(fanout, "SUGGESTION_BATCH", 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_new_suggestions() == 2
        assert services.notify_new_suggestions() == 0

    smtp_server.wait(2)
    assert len(smtp_server.received) == 2
