"""Notifications: who wants to hear what and how, the outbox of messages, texts received,
texts waiting for the hotline, and the worker's schedule of periodic jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import EncryptedTextField

# Every phone number, address and message text here is encrypted at rest (like an ask's
# contact details). Where a record must be found by phone number, it is found by
# `phone_hash`: a keyed hash of the E.164 number (mutua.core.phones.lookup_hash).
_HASH_LENGTH = 64


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")
    APPRISE = "apprise", _("Other app (Signal, Telegram, Matrix, ...)")


class NearbyAsks(models.TextChoices):
    IMMEDIATE = "immediate", _("Straight away")
    DIGEST = "digest", _("Once a day, in one message")
    OFF = "off", _("Not at all")


class Preference(models.Model):
    """How a member wants to be told things. A member without a row gets the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    # E.164 ("+447700900123"). Set only by texting the link code from the phone itself,
    # so a number here is one the member has shown they hold.
    phone = EncryptedTextField(_("phone"), max_length=20, blank=True)
    phone_hash = models.CharField(max_length=_HASH_LENGTH, blank=True)
    phone_linked_at = models.DateTimeField(null=True, blank=True)
    link_code = models.CharField(max_length=12, blank=True)
    link_code_expires_at = models.DateTimeField(null=True, blank=True)
    by_email = models.BooleanField(_("by email"), default=True)
    by_sms = models.BooleanField(_("by text message"), default=False)
    # It may hold a bot's credentials (tgram://TOKEN/CHAT).
    apprise_url = EncryptedTextField(_("Apprise address"), max_length=500, blank=True)
    # Empty: the first language of the member's profile, else the site's.
    language = models.CharField(_("language"), max_length=12, blank=True)
    # Messages that fall between these times (the site's time zone) wait until the end.
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_to = models.TimeField(_("quiet until"), null=True, blank=True)
    nearby_asks = models.CharField(
        _("new asks near me"),
        max_length=10,
        choices=NearbyAsks.choices,
        default=NearbyAsks.DIGEST,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"],
                condition=~Q(phone_hash=""),
                name="notify_preference_phone_hash_unique",
            )
        ]

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class SmsSender(models.Model):
    """A phone number that texted the group: its carrier opt-out and its language.

    Only the number's keyed hash is kept: the row is found by the number, and never
    needs to give it back (so an opt-out outlives the purge of the texts and asks)."""

    phone_hash = models.CharField(max_length=_HASH_LENGTH, unique=True)
    language = models.CharField(max_length=12, blank=True)
    # Set by STOP, cleared by START: while set, nothing at all is texted to the number.
    opted_out_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sender {self.pk}"


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")
    SKIPPED = "skipped", _("Not sent")


class Message(models.Model):
    """One outbound message on one channel: the outbox and the delivery log in one.

    `key` names what the message is about and for whom ("ask-event:12:user:3:email"), so
    an event announced twice queues it once. A worker sends it only after moving it from
    pending to sending in one conditional update; a worker that dies mid-send leaves it
    sending, and once `lease_until` has passed another worker takes it up again.
    """

    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    # An email address, an E.164 phone number or an Apprise URL.
    to = EncryptedTextField(max_length=500)
    # Both may quote the ask, and name the people in it.
    subject = EncryptedTextField(max_length=200, blank=True)
    body = EncryptedTextField()
    # Where an e-mail's answer goes: a relay conversation's signed reply address.
    reply_to = models.CharField(max_length=254, blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_message_due"),
        ]

    def __str__(self) -> str:
        return self.key


class InboundSms(models.Model):
    """A text received on the webhook, with the reply given: a retried delivery (same
    MessageSid) gets the same reply and changes nothing."""

    message_sid = models.CharField(max_length=64, unique=True)
    phone = EncryptedTextField(max_length=20)
    phone_hash = models.CharField(max_length=_HASH_LENGTH, db_index=True)
    body = EncryptedTextField(max_length=1600)
    command = models.CharField(max_length=10, blank=True)
    # It may hold the contact of an ask (a helper's reply to TAKE).
    reply = EncryptedTextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.message_sid


class DraftStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the hotline")
    DONE = "done", _("Made into an ask")
    DISMISSED = "dismissed", _("Dismissed")


class IntakeDraft(models.Model):
    """A text that asks for help but could not become an ask by itself (no place we know):
    the hotline calls back and completes it on the phone-intake page."""

    phone = EncryptedTextField(max_length=20)
    phone_hash = models.CharField(max_length=_HASH_LENGTH, db_index=True)
    text = EncryptedTextField(max_length=1600)
    language = models.CharField(max_length=12, blank=True)
    status = models.CharField(
        max_length=10, choices=DraftStatus.choices, default=DraftStatus.OPEN, db_index=True
    )
    ask = models.ForeignKey(
        "aid.Ask", on_delete=models.SET_NULL, null=True, blank=True, related_name="intake_drafts"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"draft {self.pk} from a text"


class ScheduledJob(models.Model):
    """When a periodic job (see core.periodic) is next due. A worker runs a due job only
    after moving `next_run_at` on in one conditional update, so of several workers one
    runs it."""

    name = models.CharField(max_length=60, unique=True)
    next_run_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
