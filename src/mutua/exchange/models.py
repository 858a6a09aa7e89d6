from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    ASK_CREATED = "ask.created", _("An ask was made")
    ASK_CLAIMED = "ask.claimed", _("An ask was taken")
    ASK_DONE = "ask.done", _("An ask was done")


class Webhook(models.Model):
    """An address a group's own tools are told about its asks at, signed with `secret`.

    It belongs to the group, not to the member who registered it: any member may see and
    remove it. What it is sent is what the public board shows, never contact details.
    """

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("address"), max_length=500)
    # Kept as given: signing needs the secret itself, not a hash of it. "whsec_" and
    # base64 (Standard Webhooks; exchange.signing).
    secret = models.CharField(max_length=100)
    # After a rotation the old secret signs too, until `previous_secret_until`, so the
    # receiver can switch to the new one without missing a delivery.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    # Set when the receiver answered 410 Gone: nothing more is sent to it.
    disabled_at = models.DateTimeField(null=True, blank=True)
    events = models.JSONField(_("events"), default=list)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Gave up")


class WebhookDelivery(models.Model):
    """One event for one webhook: sent, retried with the same id and body, until it is
    delivered or the attempts run out."""

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # The group id on every group-owned row, so the table can be sharded by group.
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    event = models.CharField(max_length=20, choices=WebhookEvent.choices)
    # What caused it, e.g. "askevent:123": one delivery per webhook per cause, however
    # often the cause is announced.
    source = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "source"], name="one_delivery_per_webhook_and_cause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook_id}"


class PlaceNameProposal(models.Model):
    """Place names a member uploaded for the group to decide on (a `place-names` proposal):
    kept here, already checked, until the decision adds them (exchange.services.places).

    Place names are public words about the group's area, never anything personal."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    proposal = models.OneToOneField(
        "governance.Proposal", on_delete=models.CASCADE, related_name="place_names"
    )
    # [{"name", "lat", "lon", "kind"}, ...] as groups.services.NewPlaceName takes them.
    names = models.JSONField(default=list)
    source = models.CharField(max_length=10)  # "csv" or "geojson", for the group's log
    added_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{len(self.names)} place names for {self.group_id}"
