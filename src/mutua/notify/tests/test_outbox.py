"""The outbox: a message is retried with backoff while its server is away, sent once, and
given up on when the address is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.core.tests.factories import make_ask
from mutua.notify import services
from mutua.notify.models import Message, MessageStatus

pytestmark = pytest.mark.django_db


def _claim_on_the_web(client, user, ask, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(f"/asks/{ask.pk}/claim/")
    assert response.status_code == 302


def test_a_server_that_is_away_is_retried_with_backoff_and_sent_once(
    client, asker, helper, settings, smtp_server, django_capture_on_commit_callbacks
):
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the connection is refused
    ask = make_ask(asker=asker)

    _claim_on_the_web(client, helper, ask, django_capture_on_commit_callbacks)

    message = Message.objects.get(user=asker)
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
    assert "ConnectionRefusedError" in message.last_error
    first_wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_wait <= timedelta(seconds=30)

    assert services.deliver_due(now=message.next_attempt_at) == 0  # still away
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at - timezone.now() > timedelta(seconds=50)  # it doubled

    settings.EMAIL_PORT = real_port
    assert services.deliver_due(now=message.next_attempt_at) == 1
    assert services.deliver_due(now=message.next_attempt_at + timedelta(days=1)) == 0
    smtp_server.wait(1)
    assert len(smtp_server.to("asker@example.org")) == 1
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.SENT, "")


def test_a_refused_address_is_not_retried(asker, smtp_server, settings):
    settings.EMAIL_PORT = 1
    message = services.queue_message(
        key="test:bad", channel="apprise", to="notaservice://nothing", body="hi", user=asker
    )

    assert services.deliver(message_id=message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.attempts == 1
    assert "Apprise cannot use this address" in message.last_error
