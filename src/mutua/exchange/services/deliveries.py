"""Posting webhook deliveries: through the guarded outbound client (public addresses
only, the checked address connected to, no redirects), signed in the Standard Webhooks
shape, retried with jitter for more than three days.

A failed attempt is retried with growing delays (RETRY_DELAYS, each stretched or shrunk
at random by up to JITTER so that many receivers coming back at once are not all hit in
the same second) with the same id and body, so a receiver that got it twice can tell; a
delivered one is never sent again. A 410 Gone stops the webhook for good.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mutua.core import outbound
from mutua.core.redact import redact
from mutua.exchange import signing
from mutua.exchange.models import DeliveryStatus, Webhook, WebhookDelivery
from mutua.exchange.services.webhooks import host_of
from mutua.governance.models import LogKind
from mutua.governance.services import record_in_history

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last, give up. They
# add up to about 4.2 days, so at least 3.3 with the jitter: a receiver down over a long
# weekend still gets every delivery.
RETRY_DELAYS = (60, 300, 1800, 7200, 18000, 36000, 36000, 86400, 86400, 86400)
JITTER = 0.2
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
_TIMEOUT_SECONDS = 10


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed attempts."""
    base = RETRY_DELAYS[attempts - 1]
    return timedelta(seconds=base * random.uniform(1 - JITTER, 1 + JITTER))


def _secrets_in_use(hook: Webhook, now: datetime) -> list[str]:
    in_use = [hook.secret]
    if hook.previous_secret and hook.previous_secret_until and hook.previous_secret_until > now:
        in_use.append(hook.previous_secret)
    return in_use


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST and return (HTTP status, "") or (None, why it could not be sent)."""
    try:
        response = outbound.post(url, body=body, headers=headers, timeout=_TIMEOUT_SECONDS)
    except outbound.RefusedDestination as refused:
        return None, refused.reason
    except OSError as exc:
        return None, str(exc) or type(exc).__name__
    return response.status, ""


@transaction.atomic
def _disable(hook: Webhook, now: datetime) -> None:
    """The receiver answered 410 Gone: stop the webhook and what was waiting for it."""
    stopped = Webhook.objects.filter(pk=hook.pk, disabled_at__isnull=True).update(disabled_at=now)
    WebhookDelivery.objects.filter(webhook=hook, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None
    )
    if stopped:
        record_in_history(group=hook.group, kind=LogKind.WEBHOOK_DISABLED, detail=host_of(hook))


def attempt_delivery(*, delivery_pk: int) -> WebhookDelivery | None:
    """Send a pending delivery once and record how it went; None if it no longer exists.

    Not one transaction: the row is taken (pending -> sending) by a conditional update,
    so two workers never post the same delivery at once, and no database transaction is
    held open while waiting for the receiver.
    """
    now = timezone.now()
    taken = WebhookDelivery.objects.filter(
        pk=delivery_pk, status=DeliveryStatus.PENDING, webhook__disabled_at__isnull=True
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    delivery = (
        WebhookDelivery.objects.select_related("webhook__group").filter(pk=delivery_pk).first()
    )
    if delivery is None or not taken:
        return delivery  # removed, already delivered, given up, or being sent elsewhere
    hook = delivery.webhook
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "mutua-webhooks/1",
        **signing.headers(
            secrets_in_use=_secrets_in_use(hook, now),
            message_id=str(delivery.delivery_id),
            event=delivery.event,
            timestamp=int(now.timestamp()),
            body=body,
        ),
    }
    status, error = _post(hook.url, body, headers)
    delivery.last_response_status = status
    # A receiver's error text can quote anything, tokens in its own URL among them.
    delivery.last_error = redact(error)[:300] if error else ""
    if status is not None and 200 <= status < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif status == 410 or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save(
        update_fields=[
            "status",
            "last_response_status",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if status == 410:
        _disable(hook, now)
    return delivery
