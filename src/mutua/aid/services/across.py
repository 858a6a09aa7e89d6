"""An ask handed on to a linked server (mutua.federation carries it; aid records where
the ask stands). While the other server has it, it is off this server's board; it comes
back open if that server returns it, and is done here when that server says so.

Sending shares its checks, its history and its access log row with a pass between groups
on this server (aid.services.handon); only where the ask goes differs."""

from __future__ import annotations

from django.db import transaction

from mutua.aid import events
from mutua.aid.disclosure import Move
from mutua.aid.models import Ask, AskEvent, AskStatus
from mutua.aid.services.handon import begin_hand_on, record_hand_on
from mutua.aid.services.lifecycle import _lock, _move
from mutua.people.models import User

# The access log's channel for details that left for a linked server.
CHANNEL = "federation"


@transaction.atomic
def send_across(*, ask: Ask, actor: User | None) -> Ask:
    """Take an open ask off the board because it is being handed on to a linked server,
    logged in its history and, since its details leave for that server, in the access
    log. `actor` None is the operator. NotAllowed if `actor` may not pass the ask on
    (aid.policy.may_hand_on); InvalidTransition if it is no longer open."""
    begin_hand_on(ask, actor=actor)
    _move(ask, source=AskStatus.OPEN, target=AskStatus.HANDED_ON)
    record_hand_on(
        ask,
        kind=AskEvent.Kind.HANDED_ON,
        actor=actor,
        move=Move.LINKED_SERVER,
        channel=CHANNEL,
        from_group=ask.group,
    )
    return ask


@transaction.atomic
def returned_across(*, ask: Ask) -> Ask:
    """The linked server gave the ask back (or could not take it): open here again."""
    _lock(ask)
    _move(ask, source=AskStatus.HANDED_ON, target=AskStatus.OPEN)
    events.announce(AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.RETURNED))
    return ask


@transaction.atomic
def done_across(*, ask: Ask) -> Ask:
    """The linked server says the ask is done: done here too, so the retention purge
    erases this server's copy of the details like any other closed ask."""
    _lock(ask)
    _move(ask, source=AskStatus.HANDED_ON, target=AskStatus.DONE)
    events.announce(AskEvent.objects.create(ask=ask, kind=AskEvent.Kind.DONE))
    return ask
