"""One conversation per claim: the messages between the person who asked and the helper
who took the ask (and the group's dispatchers while the claim is active)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import EncryptedTextField

MAX_BODY = 1000


class Side(models.TextChoices):
    """Who wrote a message, as the conversation names them (never by contact detail)."""

    ASKER = "asker", _("The person who asked")
    HELPER = "helper", _("The helper")
    DISPATCHER = "dispatcher", _("A dispatcher")


class Via(models.TextChoices):
    PAGE = "page", _("the website")
    API = "api", _("the API")
    SMS = "sms", _("a text message")
    EMAIL = "email", _("an e-mail reply")


class RelayMessage(models.Model):
    """One message in the conversation of a claim. The body is stored as relayed: with
    any phone number, e-mail address or the ask's address already taken out."""

    claim = models.ForeignKey("aid.Claim", on_delete=models.CASCADE, related_name="relay_messages")
    # The ask and its group beside the claim: the purge finds messages by ask, and every
    # group-owned table carries the group (DESIGN.md, scale-out).
    ask = models.ForeignKey("aid.Ask", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = EncryptedTextField(max_length=MAX_BODY)
    via = models.CharField(max_length=5, choices=Via.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["claim", "created_at"], name="relay_by_claim")]

    def __str__(self) -> str:
        return f"relay {self.pk} on claim {self.claim_id}"
