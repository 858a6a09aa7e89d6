"""Background tasks of the exchange: posting webhook deliveries, with retries."""

from __future__ import annotations

import logging

from django_tasks import task

from mutua.exchange import services
from mutua.exchange.models import DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)


@task()
def deliver_webhook(delivery_pk: int) -> str:
    """Post one delivery; on failure queue the next attempt for later. Returns its status.

    Running it again for a delivery already delivered sends nothing.
    """
    delivery = services.attempt_delivery(delivery_pk=delivery_pk)
    if delivery is None:
        return "gone"
    if delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at is not None:
        schedule(delivery)
    return str(delivery.status)


def schedule(delivery: WebhookDelivery) -> None:
    """Queue an attempt at the delivery, at its next_attempt_at if it has one."""
    backend = deliver_webhook.get_backend()
    if delivery.next_attempt_at is None:
        deliver_webhook.enqueue(delivery.pk)
    elif backend.supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    else:
        # Only the test-time ImmediateBackend cannot wait; running the retry now would
        # hammer the receiver with no backoff at all, so the delivery stays pending.
        logger.warning(
            "The task backend cannot run tasks later; webhook delivery %s stays pending.",
            delivery.delivery_id,
        )
