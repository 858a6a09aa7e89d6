"""A member's own notification address never makes the server call into its own network:
refused when saved, and checked again (at the address Apprise connects to) when sent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mutua.conftest import OFFLINE_DNS
from mutua.notify import delivery
from mutua.notify.models import Channel, Message, MessageStatus, Preference
from mutua.notify.services import outbox
from mutua.notify.tests.test_preferences import SETTINGS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "ntfy://127.0.0.1:8080/topic",
        "ntfys://localhost/topic",
        "gotify://[::1]/AbCdEfGhIjKlMnO",
        "gotify://10.0.0.8/AbCdEfGhIjKlMnO",
        "apprise://localhost/abc",
        "apprise://169.254.169.254/abc",
        "ntfy://[::ffff:127.0.0.1]/topic",
        "ntfy://224.0.0.1/topic",
        "ntfys://internal.example.net/topic",  # a name that resolves to 10.1.2.3
    ],
)
def test_an_address_on_this_machine_or_a_private_network_is_refused(client, helper, url):
    client.force_login(helper)

    response = client.post("/me/notifications/", {**SETTINGS, "apprise_url": url})

    assert response.status_code == 400
    assert "private network" in response.content.decode()
    assert not Preference.objects.filter(user=helper).exclude(apprise_url="").exists()


def test_the_owner_may_allow_private_addresses(client, helper, settings):
    settings.MUTUA_OUTBOUND_ALLOW_PRIVATE = True
    client.force_login(helper)

    client.post("/me/notifications/", {**SETTINGS, "apprise_url": "ntfy://10.0.0.8/topic"})

    assert Preference.objects.get(user=helper).apprise_url == "ntfy://10.0.0.8/topic"


def _queued(helper, url: str) -> Message:
    return Message.objects.create(
        key="test:1",
        channel=Channel.APPRISE,
        user=helper,
        to=url,
        subject="A new ask near you",
        body="Shopping",
        next_attempt_at=timezone.now(),
    )


def test_an_address_that_turned_private_since_it_was_saved_is_not_sent_to(helper, monkeypatch):
    message = _queued(helper, "ntfys://ntfy.example.org/topic")
    monkeypatch.setitem(OFFLINE_DNS, "ntfy.example.org", "127.0.0.1")

    assert outbox.deliver(message_id=message.pk) == MessageStatus.FAILED

    message.refresh_from_db()
    assert "private network" in message.last_error


def test_apprise_itself_cannot_reach_a_private_address_while_sending(helper, monkeypatch):
    # The name is public when checked and private when Apprise looks it up (rebinding).
    answers = iter(["93.184.216.34", "127.0.0.1"])
    monkeypatch.setattr(delivery, "apprise_private_host", lambda url: False)
    resolved: list[str] = []

    def rebinding(host, port, *args, **kwargs):
        address = next(answers, "127.0.0.1")
        resolved.append(address)
        return real(address, port, *args, **kwargs)

    from mutua.core import outbound

    real = outbound._system_getaddrinfo
    monkeypatch.setattr(outbound, "_system_getaddrinfo", rebinding)
    message = _queued(helper, "ntfys://ntfy.example.org/topic")

    status = outbox.deliver(message_id=message.pk)

    assert status in (MessageStatus.PENDING, MessageStatus.FAILED)
    message.refresh_from_db()
    assert message.status != MessageStatus.SENT
    assert resolved, "Apprise looked the name up, inside the guard"
