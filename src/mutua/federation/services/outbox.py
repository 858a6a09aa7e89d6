"""Messages to linked servers: queued in the database, posted by the worker through the
guarded outbound client, signed afresh at each attempt, retried with growing delays
while the other server is down, so nothing is lost.

A 2xx answer delivers the message. A 4xx answer (the other server refused it: a bad
signature, an unknown or refused link) is final: sending it again would be refused
again; a hand-on refused this way brings the ask back (mutua.federation.services.handon).
Anything else (5xx, no answer, a refused connection) is tried again later.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mutua.core import outbound
from mutua.core.redact import redact
from mutua.federation import crypto
from mutua.federation.models import Link, MessageStatus, Outgoing
from mutua.federation.services.identity import public_url, server_keys

# Seconds to wait after the 1st, 2nd, ... failed attempt: about four days in all, so a
# server down over a long weekend still gets every message.
RETRY_DELAYS = (30, 120, 600, 1800, 7200, 18000, 36000, 86400, 86400, 86400)
JITTER = 0.2
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A message still "being sent" this long after its attempt began was left by a worker that
# died mid-send: it is taken again (the receiver ignores a crossing it already has).
STUCK_AFTER = timedelta(minutes=10)
_TIMEOUT_SECONDS = 10


def retry_delay(attempts: int) -> timedelta:
    base = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    return timedelta(seconds=base * random.uniform(1 - JITTER, 1 + JITTER))


def queue(*, link: Link, kind: str, payload: dict[str, Any]) -> Outgoing:
    """Queue a message to `link`'s server; the worker sends it once this commits."""
    message = Outgoing.objects.create(link=link, kind=kind, payload=payload)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_pk: int, at: datetime | None = None) -> None:
    # Imported here: the tasks module imports this one.
    from mutua.federation.tasks import deliver_message

    if at is not None and deliver_message.get_backend().supports_defer:
        deliver_message.using(run_after=at).enqueue(message_pk)
    elif at is None:
        deliver_message.enqueue(message_pk)


def without_details(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without a hand-on's sealed details and the person's consent words."""
    ask = payload.get("ask")
    if not isinstance(ask, dict):
        return payload
    return {**payload, "ask": {**ask, "sealed": "", "consent_text": ""}}


def body_of(message: Outgoing, *, sender: str) -> bytes:
    """The JSON body of a message: the same on every attempt."""
    envelope = {
        "type": message.kind,
        "id": str(message.message_id),
        "from": sender,
        **message.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()


def attempt(*, message_pk: int, now: datetime | None = None) -> Outgoing | None:
    """Send a pending message once and record how it went; None if it no longer exists.

    The row is taken (pending -> sending) by a conditional update, so two workers never
    post the same message at once; no transaction is held open while the other server
    answers. Returns the message as it now stands.
    """
    now = now or timezone.now()
    # Read before taking the row: a server without MUTUA_PUBLIC_URL cannot say who it is,
    # and its message must stay pending (InvalidInput), not be left half sent.
    sender = public_url()
    taken = (
        Outgoing.objects.filter(pk=message_pk)
        .filter(
            Q(status=MessageStatus.PENDING)
            | Q(status=MessageStatus.SENDING, last_attempt_at__lt=now - STUCK_AFTER)
        )
        .update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    message = Outgoing.objects.select_related("link").filter(pk=message_pk).first()
    if message is None or not taken:
        return message
    keys = server_keys()
    body = body_of(message, sender=sender)
    headers = {
        "User-Agent": "mutua-federation/1",
        **crypto.sign(
            url=message.link.inbox,
            body=body,
            signing_private=keys.signing_private,
            signing_public=keys.signing_public,
        ),
    }
    status: int | None
    try:
        answer = outbound.post(
            message.link.inbox, body=body, headers=headers, timeout=_TIMEOUT_SECONDS
        )
        status, error = answer.status, answer.body.decode(errors="replace")
    except outbound.RefusedDestination as refused:
        status, error = None, refused.reason
    except OSError as exc:
        status, error = None, str(exc) or type(exc).__name__
    message.last_status = status
    message.last_error = "" if status is not None and 200 <= status < 300 else redact(error)[:300]
    if status is not None and 200 <= status < 300:
        message.status = MessageStatus.DELIVERED
        message.delivered_at = timezone.now()
        message.next_attempt_at = None
    elif (status is not None and 400 <= status < 500 and status not in (408, 429)) or (
        message.attempts >= MAX_ATTEMPTS
    ):
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
    else:
        message.status = MessageStatus.PENDING
        message.next_attempt_at = now + retry_delay(message.attempts)
    fields = ["status", "last_status", "last_error", "delivered_at", "next_attempt_at"]
    if message.status != MessageStatus.PENDING:
        # Sent or given up: the sealed details have nothing more to do here.
        message.payload = without_details(message.payload)
        fields.append("payload")
    message.save(update_fields=fields)
    if message.status == MessageStatus.FAILED:
        # Imported here: handon queues messages through this module.
        from mutua.federation.services.handon import undeliverable

        undeliverable(message=message)
    elif message.status == MessageStatus.PENDING:
        _enqueue(message.pk, at=message.next_attempt_at)
    return message


def deliver_due(*, now: datetime | None = None, everything: bool = False) -> list[Outgoing]:
    """Attempt every pending message whose retry time has come (with `everything`, every
    pending one now: `mutua federation deliver`, once the other server is back).
    Safe to run at any time, from the worker's schedule or from cron."""
    now = now or timezone.now()
    pending = Outgoing.objects.filter(
        Q(status=MessageStatus.PENDING)
        | Q(status=MessageStatus.SENDING, last_attempt_at__lt=now - STUCK_AFTER)
    )
    if not everything:
        pending = pending.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    done = []
    for pk in pending.order_by("pk").values_list("pk", flat=True):
        message = attempt(message_pk=pk, now=now)
        if message is not None:
            done.append(message)
    return done
