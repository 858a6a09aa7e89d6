"""The outbox: queuing a message and delivering it, with retries.

A message's life in the outbox:

    pending --a worker claims it--> sending --sent--> sent
       ^                              |  \\--opted out--> skipped
       +----failed, attempts left-----+   \\--failed for good--> failed
    sending, its worker dead (lease over) --another worker claims it--> sending
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput
from mutua.core.redact import redact
from mutua.notify import delivery, selectors
from mutua.notify.models import Channel, Message, MessageStatus
from mutua.people.models import User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=30)  # then 1, 2, 4 ... minutes: about two hours in all
BACKOFF_CAP = timedelta(hours=1)
SWEEP_BATCH = 200


def queue_message(
    *,
    key: str,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    user: User | None = None,
    not_before: datetime | None = None,
    reply_to: str = "",
) -> Message:
    """Add a message to the outbox in the caller's transaction; a worker sends it once that
    transaction has committed (not before `not_before`). Queuing a key again returns the
    message already queued under it and sends nothing more."""
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel: %(c)s") % {"c": channel}, field="channel")
    now = timezone.now()
    with transaction.atomic():
        existing = Message.objects.filter(key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    key=key,
                    channel=channel,
                    to=to,
                    subject=subject[:200],
                    body=body,
                    reply_to=reply_to,
                    user=user,
                    next_attempt_at=max(now, not_before or now),
                )
        except IntegrityError:
            # Queued by a concurrent announcement of the same event: that one stands.
            return Message.objects.get(key=key)
        # robust: the message is safely stored; a failure to queue the task must not undo
        # the caller's work, and the worker's sweep picks the message up anyway.
        transaction.on_commit(partial(_schedule, message.pk, message.next_attempt_at), robust=True)
    return message


def _schedule(message_id: int, at: datetime) -> None:
    # Imported here: the tasks module imports this one.
    from mutua.notify.tasks import send_message

    if at <= timezone.now():
        send_message.enqueue(message_id)
    elif send_message.get_backend().supports_defer:
        send_message.using(run_after=at).enqueue(message_id)
    # Otherwise the backend cannot wait (the immediate one): the sweep sends it when due.


def _due(now: datetime) -> Q:
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, lease_until__lte=now
    )


def deliver(*, message_id: int, now: datetime | None = None) -> str:
    """Send one message if it is due and nobody else is sending it; returns its status.

    Not one transaction, on purpose: the claim (pending -> sending, with a lease) commits
    before anything goes on the wire, so that of two workers only one sends, and a worker
    that dies mid-send leaves a row another worker takes up once the lease is over. A row
    already sent is never claimed again, so it is never sent twice.
    """
    now = now or timezone.now()
    lease_until = now + timedelta(seconds=settings.MUTUA_NOTIFY_LEASE_SECONDS)
    claimed = (
        Message.objects.filter(pk=message_id)
        .filter(_due(now))
        .update(status=MessageStatus.SENDING, lease_until=lease_until, attempts=F("attempts") + 1)
    )
    if not claimed:
        status = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
        return str(status or "gone")
    message = Message.objects.get(pk=message_id)
    if message.channel == Channel.SMS and selectors.is_opted_out(message.to):
        _finish(message, MessageStatus.SKIPPED, error="the number has opted out (STOP)")
        return MessageStatus.SKIPPED
    try:
        if message.channel == Channel.EMAIL:
            delivery.send_email(
                to=message.to,
                subject=message.subject,
                body=message.body,
                reply_to=message.reply_to,
            )
        elif message.channel == Channel.SMS:
            delivery.send_sms(phone=message.to, body=message.body)
        else:
            delivery.send_apprise(url=message.to, title=message.subject, body=message.body)
    except delivery.DeliveryError as exc:
        return _failed(message, exc.reason, permanent=exc.permanent)
    except Exception as exc:
        # A fault inside a transport library: counted as a failed attempt, so the message
        # is retried and, in the end, given up on instead of being taken up forever.
        logger.exception("message %s: unexpected error while sending", message.pk)
        return _failed(message, f"{type(exc).__name__}: {exc}", permanent=False)
    _finish(message, MessageStatus.SENT)
    return MessageStatus.SENT


def _finish(
    message: Message, status: str, *, error: str = "", retry_at: datetime | None = None
) -> None:
    # Only while the row is still this attempt's: a worker whose lease ran out must not
    # overwrite what the worker that took over recorded.
    now = timezone.now()
    updated = Message.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, attempts=message.attempts
    ).update(
        status=status,
        # A transport's error can quote the address (a refused recipient): not in clear.
        last_error=redact(error)[:500],
        lease_until=None,
        sent_at=now if status == MessageStatus.SENT else None,
        next_attempt_at=retry_at or F("next_attempt_at"),
    )
    if not updated:
        logger.warning("message %s was taken over by another worker meanwhile", message.pk)


def _failed(message: Message, reason: str, *, permanent: bool) -> str:
    if permanent or message.attempts >= MAX_ATTEMPTS:
        logger.warning("message %s failed for good: %s", message.pk, reason)
        _finish(message, MessageStatus.FAILED, error=reason)
        return MessageStatus.FAILED
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (message.attempts - 1))
    logger.info(
        "message %s failed (attempt %s), retrying: %s", message.pk, message.attempts, reason
    )
    _finish(message, MessageStatus.PENDING, error=reason, retry_at=timezone.now() + delay)
    return MessageStatus.PENDING


def deliver_due(*, now: datetime | None = None) -> int:
    """Send what is due: retries whose wait is over, and messages whose worker died
    mid-send. Returns how many were sent. Safe to run any number of times, anywhere."""
    now = now or timezone.now()
    ids = list(
        Message.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(deliver(message_id=pk, now=now) == MessageStatus.SENT for pk in ids)
