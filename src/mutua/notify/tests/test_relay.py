"""Relay conversations by text and by e-mail: messages passed on through the group's
number with the ask's reference (#A12) and by e-mail with a signed reply address, answers
taken back in by SMS, by the inbound mail webhook and by `mutua receivemail`; never a
contact detail in what reaches the other side; gone with the ask's personal data."""

from __future__ import annotations

import io
import json
import sys
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from mutua.aid import services as aid_services
from mutua.aid.models import Ask
from mutua.aid.policy import Actor
from mutua.core.tests.factories import make_ask
from mutua.notify.models import InboundSms, Message
from mutua.notify.tests.conftest import link_phone, text
from mutua.privacy.services import purge_personal_data
from mutua.relay.models import RelayMessage, Via
from mutua.relay.services import post_message

pytestmark = pytest.mark.django_db

ASKER_PHONE = "+447700900111"
HELPER_PHONE = "+447700900222"
SECRET = "mail-gateway-secret"


def _write_on_the_page(client, user, ask, body, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(f"/asks/{ask.pk}/messages/", {"body": body})
    assert response.status_code == 302


def _relayed_outbox() -> str:
    return " ".join(
        f"{m.subject} {m.body}" for m in Message.objects.filter(key__startswith="relay:")
    ).lower()


def test_texts_go_both_ways_with_the_asks_reference_and_no_number(
    client, ward, helper, sms_gateway, smtp_server, django_capture_on_commit_callbacks
):
    text("HELP shopping in Hackney Central", phone=ASKER_PHONE)
    ask = Ask.objects.get()
    aid_services.claim_ask(ask=ask, helper=helper)
    link_phone(helper, HELPER_PHONE)
    ref = f"#A{ask.pk}"

    _write_on_the_page(
        client,
        helper,
        ask,
        "On my way, my number is 07700 900222",
        django_capture_on_commit_callbacks,
    )
    [to_asker] = sms_gateway.sent_to(ASKER_PHONE)
    assert to_asker.startswith(f"{ref} {helper.display_name}: On my way")
    assert "900222" not in to_asker and f"starting with {ref}" in to_asker

    with django_capture_on_commit_callbacks(execute=True):
        reply = text(f"{ref} Thanks! Door code 4521, call 07700 900111", phone=ASKER_PHONE)
    assert "passed on" in reply
    smtp_server.wait(1)
    [mail] = smtp_server.to("helper@example.org")
    assert "Door code 4521" in mail.get_content()
    assert "900111" not in mail.get_content()

    with django_capture_on_commit_callbacks(execute=True):
        text(f"{ref.lower()}: outside now", phone=HELPER_PHONE)
    assert sms_gateway.sent_to(ASKER_PHONE)[-1].startswith(f"{ref} {helper.display_name}: outside")
    sides = list(RelayMessage.objects.values_list("side", "via"))
    assert sides == [("helper", Via.PAGE), ("asker", Via.SMS), ("helper", Via.SMS)]
    assert "900111" not in _relayed_outbox() and "900222" not in _relayed_outbox()


def test_a_text_to_someone_elses_conversation_is_refused(ward, helper, outsider):
    ask = make_ask()
    aid_services.claim_ask(ask=ask, helper=helper)

    stranger = text(f"#A{ask.pk} let me in", phone="+447700900999")
    empty = text(f"#A{ask.pk}", phone=ASKER_PHONE)
    missing = text("#A999999 hello there", phone=ASKER_PHONE)

    assert "Only the person who asked" in stranger
    assert "Write your message after" in empty
    assert "There is no ask #999999" in missing
    assert not RelayMessage.objects.exists()


def _reply_mail(*, to: str, body: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Ada <ada@example.net>"
    mail["To"] = to
    mail["Subject"] = "Re: your ask"
    mail.set_content(body)
    return bytes(mail)


@pytest.fixture
def by_mail(settings, ward, helper, smtp_server, django_capture_on_commit_callbacks):
    """An ask whose asker gave an e-mail address, taken by the helper, who has written;
    returns the ask and the reply address of the asker's copy."""
    settings.MUTUA_RELAY_REPLY_DOMAIN = "reply.example.org"
    settings.MUTUA_INBOUND_MAIL_SECRET = SECRET
    settings.MUTUA_PUBLIC_URL = "https://aid.example.org"
    ask = make_ask(contact_email="ada@example.net", address="12 Example Road, London E8")
    aid_services.claim_ask(ask=ask, helper=helper)
    with django_capture_on_commit_callbacks(execute=True):
        post_message(
            ask=ask,
            actor=Actor(user=helper),
            body="Coming at six. Mail me at helper@example.org",
            via=Via.API,
        )
    smtp_server.wait(1)
    [mail] = smtp_server.to("ada@example.net")
    assert "Coming at six" in mail.get_content()
    assert "helper@example.org" not in mail.get_content()
    assert f"/asks/{ask.pk}/messages/?key=" in mail.get_content()
    reply_to = str(mail["Reply-To"])
    assert reply_to.startswith("relay-") and reply_to.endswith("@reply.example.org")
    return ask, reply_to


def test_an_email_reply_comes_back_through_the_webhook_without_the_quote(
    client, by_mail, smtp_server, django_capture_on_commit_callbacks
):
    _ask, reply_to = by_mail
    raw = _reply_mail(
        to=reply_to,
        body="Six is perfect, I live at 12 Example Road.\n\nOn Sun, Sam wrote:\n> Coming at six",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/mail/inbound",
            raw,
            content_type="message/rfc822",
            headers={"Authorization": f"Bearer {SECRET}"},
        )

    assert response.status_code == 201, response.content
    message = RelayMessage.objects.get(via=Via.EMAIL)
    assert (message.side, message.body) == ("asker", "Six is perfect, I live at [contact removed].")
    smtp_server.wait(2)
    [to_helper] = smtp_server.to("helper@example.org")
    assert "Six is perfect" in to_helper.get_content()
    assert "Example Road" not in to_helper.get_content()
    assert "ada@example.net" not in to_helper.get_content()


def test_the_inbound_mail_webhook_refuses_without_the_secret_or_a_real_address(
    client, by_mail, settings
):
    _ask, reply_to = by_mail
    raw = _reply_mail(to=reply_to, body="hello")
    # The same signature on another conversation's number.
    _relay, number, rest = reply_to.split("-", 2)
    forged = _reply_mail(to=f"relay-{int(number[:-1]) + 1}h-{rest}", body="hello")

    def post(body: bytes, secret: str) -> object:
        return client.post(
            "/mail/inbound",
            body,
            content_type="message/rfc822",
            headers={"Authorization": f"Bearer {secret}"} if secret else {},
        )

    assert post(raw, "").status_code == 403
    assert post(raw, "wrong").status_code == 403
    refused = post(forged, SECRET)
    assert refused.status_code == 403 and "reply address" in json.loads(refused.content)["detail"]
    settings.MUTUA_INBOUND_MAIL_SECRET = ""
    assert post(raw, SECRET).status_code == 403
    assert not RelayMessage.objects.filter(via=Via.EMAIL).exists()


def test_receivemail_reads_a_reply_from_standard_input(by_mail, monkeypatch, helper):
    ask, reply_to = by_mail
    raw = _reply_mail(to="someone-else@example.org", body="See you at six")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()

    call_command("receivemail", "--to", reply_to, stdout=out)

    assert f"#{ask.pk}" in out.getvalue()
    assert RelayMessage.objects.get(via=Via.EMAIL).body == "See you at six"
    aid_services.complete_ask(ask=ask, actor=Actor(user=helper))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    with pytest.raises(CommandError, match="closed"):
        call_command("receivemail", "--to", reply_to)


def test_purging_the_ask_takes_the_relayed_texts_and_messages_with_it(
    client, ward, helper, sms_gateway, django_capture_on_commit_callbacks
):
    text("HELP shopping in Hackney Central", phone=ASKER_PHONE)
    ask = Ask.objects.get()
    aid_services.claim_ask(ask=ask, helper=helper)
    link_phone(helper, HELPER_PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        text(f"#A{ask.pk} the blue door", phone=HELPER_PHONE)
    other = make_ask(contact_phone="+447700900333")
    aid_services.claim_ask(ask=other, helper=helper)
    with django_capture_on_commit_callbacks(execute=True):
        text(f"#A{other.pk} the red door", phone=HELPER_PHONE)
    aid_services.complete_ask(ask=ask, actor=Actor(user=helper))
    Ask.objects.filter(pk=ask.pk).update(updated_at=timezone.now() - timedelta(days=31))
    assert Message.objects.filter(key__startswith=f"relay:{ask.pk}:").exists()

    purge_personal_data()

    assert not Message.objects.filter(key__startswith=f"relay:{ask.pk}:").exists()
    assert not RelayMessage.objects.filter(ask=ask).exists()
    kept = [t.body for t in InboundSms.objects.filter(command="relay")]
    assert kept == [f"#A{other.pk} the red door"]
    assert Client().get("/healthz").status_code in (200, 503)
