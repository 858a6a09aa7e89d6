"""Federation: this server's keys, its links with other mutua servers, the signed
messages between them, and the asks handed on across a link."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import EncryptedTextField


class ServerKeys(models.Model):
    """This server's own key pair for signing (Ed25519) and for receiving sealed contact
    details (X25519). One row, made on first use; the private halves encrypted at rest."""

    signing_private = EncryptedTextField()
    signing_public = models.CharField(max_length=64)
    box_private = EncryptedTextField()
    box_public = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.signing_public


class Side(models.TextChoices):
    """Where one side of a link stands."""

    UNKNOWN = "", _("not asked")
    PENDING = "pending", _("deciding")
    AGREED = "agreed", _("agreed")
    REFUSED = "refused", _("refused")


class LinkState(models.TextChoices):
    """What `mutua federation list` shows: the two sides read together."""

    WAITING_FOR_US = "waiting-for-us", _("waiting for our decision")
    WAITING_FOR_THEM = "waiting-for-them", _("waiting for their decision")
    ACTIVE = "active", _("active")
    REFUSED = "refused", _("refused")


class Link(models.Model):
    """A link with another mutua server, agreed by a decision of a group on each side.

    The other server's keys are pinned when the link is first made: a later message
    signed with another key is refused, whatever its own document then says."""

    url = models.URLField(max_length=300, unique=True)
    name = models.CharField(max_length=120)
    key_id = models.CharField(max_length=64, unique=True)
    signing_key = models.CharField(max_length=64)
    box_key = models.CharField(max_length=64)
    inbox = models.URLField(max_length=400)
    pinned_at = models.DateTimeField()
    # The group of this server that decides (and, once agreed, hands asks on across it).
    group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        "governance.Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ours = models.CharField(max_length=10, choices=Side.choices, blank=True, default="")
    theirs = models.CharField(max_length=10, choices=Side.choices, blank=True, default="")
    # The latest aggregate counts the other server sent (services.figures), and when.
    their_figures = models.JSONField(default=dict, blank=True)
    figures_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def state(self) -> LinkState:
        if Side.REFUSED in (self.ours, self.theirs):
            return LinkState.REFUSED
        if self.ours == Side.AGREED and self.theirs == Side.AGREED:
            return LinkState.ACTIVE
        if self.ours != Side.AGREED:
            return LinkState.WAITING_FOR_US
        return LinkState.WAITING_FOR_THEM

    @property
    def is_active(self) -> bool:
        return self.state == LinkState.ACTIVE


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Gave up")


class Outgoing(models.Model):
    """One signed message to a linked server, retried with the same id and body until it
    is delivered or the attempts run out. Signed afresh at each attempt (new nonce and
    time), so a retry is never mistaken for a replay."""

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="outgoing")
    kind = models.CharField(max_length=20)
    # A handed-on ask's contact is in here only sealed to the other server's key.
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.link_id}"


class SeenNonce(models.Model):
    """A nonce a signed message arrived with: the same nonce twice is a replay."""

    nonce = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.nonce


class EventKind(models.TextChoices):
    LINK_PROPOSED = "link-proposed", _("Link proposed")
    LINK_REQUESTED = "link-requested", _("The other server asked to link")
    WE_AGREED = "we-agreed", _("We agreed to the link")
    WE_REFUSED = "we-refused", _("We refused the link")
    THEY_AGREED = "they-agreed", _("They agreed to the link")
    THEY_REFUSED = "they-refused", _("They refused the link")
    REJECTED = "rejected", _("A message was rejected")
    ASK_SENT = "ask-sent", _("An ask was handed on to them")
    ASK_RECEIVED = "ask-received", _("An ask was handed on to us")
    OUTCOME_SENT = "outcome-sent", _("We told them what became of an ask")
    OUTCOME_RECEIVED = "outcome-received", _("They told us what became of an ask")


class FederationEvent(models.Model):
    """The federation log: what crossed (or was refused) and why. No personal data: a
    rejected message is described, never quoted."""

    link = models.ForeignKey(
        Link, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.detail}"


class Outcome(models.TextChoices):
    SENT = "sent", _("sent")
    RECEIVED = "received", _("received")
    TAKEN = "taken", _("taken")
    DONE = "done", _("done")
    RETURNED = "returned", _("returned")


class HandOn(models.Model):
    """An ask that crossed a link: sent from here (`outgoing`) or received here."""

    link = models.ForeignKey(Link, on_delete=models.PROTECT, related_name="hand_ons")
    outgoing = models.BooleanField()
    # The local ask: the one handed on (sent) or the one made from it (received).
    ask = models.ForeignKey(
        "aid.Ask", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The same on both servers: the sender's id for the crossing.
    crossing_id = models.UUIDField(default=uuid.uuid4)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "outgoing", "crossing_id"], name="hand_on_unique_crossing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.crossing_id} {self.outcome}"
