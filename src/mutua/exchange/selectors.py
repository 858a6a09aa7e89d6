"""Reads for the exchange: webhooks, their deliveries, and what an export holds."""

from __future__ import annotations

from django.db.models import QuerySet

from mutua.aid.models import Ask, Offer
from mutua.core.errors import NotFound
from mutua.exchange.models import Webhook, WebhookDelivery
from mutua.groups.models import Group, Membership


def webhooks_of(group: Group) -> QuerySet[Webhook]:
    return Webhook.objects.filter(group=group).select_related("group")


def get_webhook(webhook_id: int) -> Webhook:
    try:
        return Webhook.objects.select_related("group").get(pk=webhook_id)
    except Webhook.DoesNotExist:
        raise NotFound(str(webhook_id)) from None


def deliveries_of(webhook: Webhook) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(webhook=webhook)


def asks_to_export(group: Group | None) -> QuerySet[Ask]:
    qs = Ask.objects.select_related("group").order_by("pk")
    return qs.filter(group=group) if group is not None else qs


def offers_to_export(group: Group | None) -> QuerySet[Offer]:
    qs = Offer.objects.select_related("group", "member__profile").order_by("pk")
    return qs.filter(group=group) if group is not None else qs


def memberships_to_export(group: Group | None) -> QuerySet[Membership]:
    qs = Membership.objects.select_related("group", "user__profile").order_by("pk")
    return qs.filter(group=group) if group is not None else qs
