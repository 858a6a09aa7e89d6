"""Conversations go with the ask's personal data (retention purge, erasure of the asker)
and a person's own messages with their account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mutua.aid import services as aid_services
from mutua.aid.models import Ask
from mutua.aid.policy import Actor
from mutua.core.tests.factories import make_ask
from mutua.privacy.services import erase_account, purge_personal_data
from mutua.relay import services
from mutua.relay.models import RelayMessage, Via

pytestmark = pytest.mark.django_db


def _talk(ask: Ask, helper, asker_actor: Actor) -> None:
    services.post_message(
        ask=ask, actor=Actor(user=helper), body="Knock twice, I am Sam", via=Via.API
    )
    services.post_message(ask=ask, actor=asker_actor, body="The green gate, thanks", via=Via.API)


def _raw_relay_table() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM relay_relaymessage")
        return " ".join(str(v) for row in cursor.fetchall() for v in row)


def test_the_retention_purge_deletes_the_conversation_of_a_closed_ask(ward, helper, asker):
    old = make_ask(asker=asker)
    recent = make_ask(asker=asker)
    for ask in (old, recent):
        aid_services.claim_ask(ask=ask, helper=helper)
        _talk(ask, helper, Actor(user=asker))
        aid_services.complete_ask(ask=ask, actor=Actor(user=helper))
    Ask.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=31))

    purge_personal_data()

    assert not RelayMessage.objects.filter(ask=old).exists()
    assert RelayMessage.objects.filter(ask=recent).count() == 2


def test_bodies_are_encrypted_at_rest(ward, helper, asker):
    ask = make_ask(asker=asker)
    aid_services.claim_ask(ask=ask, helper=helper)

    _talk(ask, helper, Actor(user=asker))

    raw = _raw_relay_table()
    assert "Knock twice" not in raw and "green gate" not in raw
    assert [m.body for m in RelayMessage.objects.all()] == [
        "Knock twice, I am Sam",
        "The green gate, thanks",
    ]


def test_erasing_the_asker_erases_their_asks_conversations(ward, helper, asker):
    ask = make_ask(asker=asker)
    aid_services.claim_ask(ask=ask, helper=helper)
    _talk(ask, helper, Actor(user=asker))

    erase_account(user=asker, confirm_email=asker.email)

    assert not RelayMessage.objects.exists()


def test_erasing_the_helper_erases_what_they_wrote(ward, helper, asker):
    ask = make_ask(asker=asker)
    aid_services.claim_ask(ask=ask, helper=helper)
    _talk(ask, helper, Actor(user=asker))

    erase_account(user=helper, confirm_email=helper.email)

    assert list(RelayMessage.objects.values_list("body", flat=True)) == ["The green gate, thanks"]
