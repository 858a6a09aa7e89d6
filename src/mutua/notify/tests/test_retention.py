"""Texts received and messages sent are deleted after their keeping time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutua.notify import services
from mutua.notify.models import InboundSms, IntakeDraft, Message
from mutua.notify.tests.conftest import text

pytestmark = pytest.mark.django_db


def test_texts_and_finished_messages_are_deleted_after_their_keeping_time(ward, helper):
    text("My neighbour needs someone to walk her dog daily", phone="+447700900555")
    services.queue_message(key="test:old", channel="email", to="a@example.org", body="b")
    Message.objects.update(status="sent")

    assert services.purge_old_messages() == 0
    later = timezone.now() + timedelta(days=31)
    assert services.purge_old_messages(now=later) == 2  # the text received, the message sent
    assert not InboundSms.objects.exists()
    assert not Message.objects.exists()
    # A text still waiting for the hotline is kept, however old.
    assert IntakeDraft.objects.filter(status="open").exists()
