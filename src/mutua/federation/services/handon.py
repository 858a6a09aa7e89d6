"""Asks handed on across a link.

Sending: a dispatcher of the ask's group (or the operator) hands an open ask to a linked
server. The ask leaves this board (aid: handed-on); what it says and how to reach the
person are sealed to the other server's key, so they cross readable by that server only,
and the access log records that the details left for that server. Both sides log the
crossing. The other server tells this one what became of it: taken, done (done here
too) or returned (open here again). A hand-on the other server refuses comes back too.

Receiving: the ask is recorded here like any other (routed by its place), with the
consent the person gave on the other server, and the crossing is logged.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.aid.models import Ask, AskEvent, AskStatus, ConsentChannel
from mutua.aid.services import across
from mutua.aid.services.asks import create_ask
from mutua.core.errors import InvalidInput, NotAllowed
from mutua.federation import crypto
from mutua.federation.models import EventKind, HandOn, Link, Outcome, Outgoing
from mutua.federation.services.identity import log, server_keys
from mutua.federation.services.outbox import queue
from mutua.people.models import User

_OUTCOMES = {
    AskEvent.Kind.CLAIMED: Outcome.TAKEN,
    AskEvent.Kind.DONE: Outcome.DONE,
    AskEvent.Kind.CANCELLED: Outcome.RETURNED,
    AskEvent.Kind.EXPIRED: Outcome.RETURNED,
}
_SEALED_FIELDS = ("what", "lat", "lon", "address", "contact_name", "contact_phone", "contact_email")


@transaction.atomic
def hand_on_across(*, ask: Ask, link: Link, actor: User | None) -> HandOn:
    """Hand an open ask to the server at the other end of an active link. `actor` is the
    member doing it (a dispatcher of the ask's group, or a member of any group for an ask
    no group holds; aid.policy.may_hand_on), or None for the operator.
    NotAllowed or InvalidTransition, with a message for the person, when it cannot."""
    if not link.is_active:
        raise NotAllowed(
            _("The link with %(name)s is not agreed on both sides.") % {"name": link.name}
        )
    # Who may, that the ask is open, its history and the access log: the same as for a
    # pass between groups on this server (aid.services.handon).
    across.send_across(ask=ask, actor=actor)
    hand_on = HandOn.objects.create(link=link, outgoing=True, ask=ask, outcome=Outcome.SENT)
    sealed = crypto.seal(
        {name: getattr(ask, name) for name in _SEALED_FIELDS}, to_box_public=link.box_key
    )
    queue(
        link=link,
        kind="hand-on",
        payload={
            "crossing": str(hand_on.crossing_id),
            "ask": {
                "category": ask.category,
                "urgency": ask.urgency,
                "language": ask.language,
                "approve_helper": ask.approve_helper,
                "consent_at": ask.consent_at.isoformat(),
                "consent_text": ask.consent_text,
                "sealed": sealed,
            },
        },
    )
    log(link, EventKind.ASK_SENT, f"ask {ask.pk} as {hand_on.crossing_id}")
    return hand_on


def _crossing(message: dict[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(str(message.get("crossing")))
    except ValueError:
        raise InvalidInput(_("The message names no crossing.")) from None


def receive_ask(*, link: Link, message: dict[str, Any], now: datetime) -> str:
    """Record an ask handed on from `link`'s server (inside the inbox's transaction).
    The same crossing twice (a retry whose answer was lost) records it once."""
    crossing = _crossing(message)
    if HandOn.objects.filter(link=link, outgoing=False, crossing_id=crossing).exists():
        return "already received"
    data = message.get("ask")
    if not isinstance(data, dict) or not isinstance(data.get("sealed"), str):
        raise InvalidInput(_("The message holds no ask."))
    keys = server_keys()
    try:
        private = crypto.open_sealed(
            data["sealed"], box_private=keys.box_private, box_public=keys.box_public
        )
    except crypto.CannotOpen as problem:
        raise InvalidInput(f"cannot open the sealed details: {problem}") from None
    try:
        ask = create_ask(
            what=str(private.get("what") or ""),
            category=str(data.get("category", "")),
            lat=float(private["lat"]),
            lon=float(private["lon"]),
            consent=True,
            urgency=int(data.get("urgency", 2)),
            language=str(data.get("language", "en")),
            address=str(private.get("address") or ""),
            contact_name=str(private.get("contact_name") or ""),
            contact_phone=str(private.get("contact_phone") or ""),
            contact_email=str(private.get("contact_email") or ""),
            consent_channel=ConsentChannel.API,
            approve_helper=data.get("approve_helper") is True,
            # The sending server already took it as an ask of its own.
            allow_duplicate=True,
        )
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(_("The handed-on ask is incomplete.")) from None
    # The person's consent was given on the other server, in its words: keep them.
    consent_text = str(data.get("consent_text") or "")[:400]
    if consent_text:
        Ask.objects.filter(pk=ask.pk).update(consent_text=consent_text)
    HandOn.objects.create(
        link=link, outgoing=False, ask=ask, crossing_id=crossing, outcome=Outcome.RECEIVED
    )
    log(link, EventKind.ASK_RECEIVED, f"{crossing} as ask {ask.pk}")
    return f"ask {ask.pk}"


def receive_outcome(*, link: Link, message: dict[str, Any]) -> str:
    """What the other server did with an ask handed on from here: taken, done (done here
    too) or returned (open here again)."""
    crossing = _crossing(message)
    outcome = message.get("outcome")
    if outcome not in (Outcome.TAKEN, Outcome.DONE, Outcome.RETURNED):
        raise InvalidInput(_("Unknown outcome."))
    hand_on = (
        # Only this row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join that select_related makes for an optional relation.
        HandOn.objects.select_for_update(of=("self",))
        .select_related("ask")
        .filter(link=link, outgoing=True, crossing_id=crossing)
        .first()
    )
    if hand_on is None:
        raise InvalidInput(_("No ask was handed on as that crossing."))
    _settle(hand_on, Outcome(outcome))
    log(link, EventKind.OUTCOME_RECEIVED, f"{crossing}: {outcome}")
    return "outcome noted"


def _settle(hand_on: HandOn, outcome: Outcome) -> None:
    hand_on.outcome = outcome
    hand_on.save(update_fields=["outcome", "updated_at"])
    ask = hand_on.ask
    if ask is None or ask.status != AskStatus.HANDED_ON:
        return
    if outcome == Outcome.RETURNED:
        across.returned_across(ask=ask)
    elif outcome == Outcome.DONE:
        across.done_across(ask=ask)


@transaction.atomic
def report_outcome(*, ask_id: int, kind: str) -> Outgoing | None:
    """If the ask came from a linked server and `kind` (an AskEvent.Kind) settles what
    became of it, tell that server. None otherwise."""
    outcome = _OUTCOMES.get(AskEvent.Kind(kind)) if kind in AskEvent.Kind.values else None
    if outcome is None:
        return None
    hand_on = (
        # Only this row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join that select_related makes for an optional relation.
        HandOn.objects.select_for_update(of=("self",))
        .select_related("link")
        .filter(ask_id=ask_id, outgoing=False)
        .first()
    )
    if hand_on is None or hand_on.outcome == outcome:
        return None
    hand_on.outcome = outcome
    hand_on.save(update_fields=["outcome", "updated_at"])
    log(hand_on.link, EventKind.OUTCOME_SENT, f"{hand_on.crossing_id}: {outcome}")
    return queue(
        link=hand_on.link,
        kind="outcome",
        payload={"crossing": str(hand_on.crossing_id), "outcome": str(outcome)},
    )


@transaction.atomic
def undeliverable(*, message: Outgoing) -> None:
    """A message the other server refused, or that could not be sent in four days: a
    hand-on brings the ask back to this board, logged."""
    if message.kind != "hand-on":
        return
    crossing = message.payload.get("crossing")
    hand_on = (
        # Only this row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join that select_related makes for an optional relation.
        HandOn.objects.select_for_update(of=("self",))
        .select_related("ask")
        .filter(link=message.link, outgoing=True, crossing_id=crossing)
        .first()
    )
    if hand_on is not None and hand_on.outcome == Outcome.SENT:
        _settle(hand_on, Outcome.RETURNED)
        log(message.link, EventKind.OUTCOME_RECEIVED, f"{crossing}: returned (not delivered)")
