from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.core import geo
from mutua.core.categories import Category
from mutua.core.fields import EncryptedFloatField, EncryptedTextField


class Urgency(models.IntegerChoices):
    LOW = 1, _("When someone can")
    NORMAL = 2, _("In the next few days")
    URGENT = 3, _("Today")


class AskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    # Passed to a linked server (mutua.federation), which has it now; it comes back open
    # if that server returns it, and is done when that server says it is done.
    HANDED_ON = "handed-on", _("Handed on to another server")


class ConsentChannel(models.TextChoices):
    """How the person gave their consent to keep their details."""

    WEB = "web", _("the ask form")
    API = "api", _("the API")
    PHONE = "phone", _("a phone call, recorded by a volunteer")
    SMS = "sms", _("a text message")
    IMPORT = "import", _("an imported list")


class AskQuerySet(models.QuerySet["Ask"]):
    def open(self) -> AskQuerySet:
        return self.filter(status=AskStatus.OPEN)

    def unrouted(self) -> AskQuerySet:
        return self.filter(group__isnull=True)

    def listed(self) -> AskQuerySet:
        """Open asks anyone may see listed: not those offered first to one member."""
        return self.filter(status=AskStatus.OPEN, offered_until__isnull=True)

    def near(self, lat: float, lon: float, radius_km: float) -> AskQuerySet:
        """Asks whose public cell centre lies in the box around the point (refine by distance)."""
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, radius_km)
        return self.filter(
            public_lat__gte=min_lat,
            public_lat__lte=max_lat,
            public_lon__gte=min_lon,
            public_lon__lte=max_lon,
        )


class Ask(models.Model):
    """A request for help. Exact place and contact are private; the board sees the cell."""

    what = models.TextField(_("what is needed"), max_length=2000)
    category = models.CharField(_("kind of help"), max_length=20, choices=Category.choices)
    urgency = models.PositiveSmallIntegerField(
        _("how soon"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    language = models.CharField(_("language"), max_length=12, default="en")
    status = models.CharField(
        max_length=10, choices=AskStatus.choices, default=AskStatus.OPEN, db_index=True
    )
    group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="asks"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asks",
    )
    # Someone who entered the ask for the person (hotline); null when they asked themselves.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_asks",
    )

    # Private: encrypted at rest, shown only as mutua.privacy.policy allows.
    lat = EncryptedFloatField()
    lon = EncryptedFloatField()
    address = EncryptedTextField(_("address"), max_length=300, blank=True)
    contact_name = EncryptedTextField(_("name"), max_length=120, blank=True)
    contact_phone = EncryptedTextField(_("phone"), max_length=40, blank=True)
    contact_email = EncryptedTextField(_("email"), max_length=254, blank=True)
    # Keyed hashes of the phone (as E.164) and the e-mail (lower case), so that the same
    # contact asking again can be found without decrypting anything (aid.duplicates).
    # Blank when there is none; wiped with the contact by the retention purge.
    phone_lookup = models.CharField(max_length=64, blank=True, db_index=True)
    email_lookup = models.CharField(max_length=64, blank=True, db_index=True)

    # Public: the coarse place.
    cell = models.CharField(max_length=20, db_index=True)
    public_lat = models.FloatField(db_index=True)
    public_lon = models.FloatField()
    area_name = models.CharField(max_length=120, blank=True)

    consent_at = models.DateTimeField()
    consent_text = models.CharField(max_length=400)
    consent_channel = models.CharField(
        max_length=10, choices=ConsentChannel.choices, default=ConsentChannel.WEB
    )
    # The asker chose to approve whoever offers to come before they see the details.
    approve_helper = models.BooleanField(_("let me approve the helper first"), default=False)
    # Set when the retention purge or an erasure wiped the personal fields above.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # An ask answering a member's offer ("I could use this"). It is offered first to the
    # member who offered: off the board and out of dispatch until `offered_until`, which
    # is cleared when they say no or the time to answer runs out (aid.services.offers).
    offer = models.ForeignKey(
        "aid.Offer", on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    offered_until = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    objects: ClassVar[AskQuerySet] = AskQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        # The board reads open asks by urgency inside a box of public places (aid.selectors
        # .board), with or without a kind of help; everywhere, or a group's, by urgency then
        # newest. Each read is a range scan of one of these, never a sort of every ask.
        indexes = [
            models.Index(
                fields=["status", "group", "urgency", "created_at"], name="ask_open_group_order"
            ),
            models.Index(
                fields=["status", "urgency", "public_lat", "public_lon"], name="ask_open_place"
            ),
            models.Index(
                fields=["status", "category", "urgency", "public_lat", "public_lon"],
                name="ask_open_kind_place",
            ),
            models.Index(fields=["status", "urgency", "created_at"], name="ask_open_newest"),
            # The board's generation (aid.board_cache): the latest change of any ask.
            models.Index(fields=["updated_at"], name="ask_updated"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"


class ClaimOutcome(models.TextChoices):
    ACTIVE = "active", _("In progress")
    RELEASED = "released", _("Released")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Ask cancelled")
    DECLINED = "declined", _("The asker chose someone else")


class Approval(models.TextChoices):
    """Where a claim stands with an asker who approves their helper first."""

    NOT_NEEDED = "", _("not needed")
    WAITING = "waiting", _("waiting for the asker's yes")
    APPROVED = "approved", _("approved by the asker")


class Claim(models.Model):
    """A helper taking an ask. At most one active claim per ask (enforced twice, see claim_ask)."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="claims")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    claimed_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=ClaimOutcome.choices, default=ClaimOutcome.ACTIVE
    )
    approval = models.CharField(max_length=10, choices=Approval.choices, blank=True, default="")
    # The first time the helper was shown the asker's details during this claim; a
    # release after it counts towards pausing their claiming (see aid.taking).
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ask"], condition=Q(outcome="active"), name="one_active_claim_per_ask"
            )
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} on {self.ask_id}"


class ClaimingRestored(models.Model):
    """A member's claiming in a group restored after it was paused for releases: by a
    member holding the safeguarding role, or by a decision. Releases before it no longer
    count."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claiming_restored"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.member_id} restored in {self.group_id}"


class AskEvent(models.Model):
    """The visible history of an ask: who did what, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("asked")
        CLAIMED = "claimed", _("claimed")
        RELEASED = "released", _("released")
        DONE = "done", _("marked done")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("expired")
        APPROVED = "approved", _("helper approved by the asker")
        DECLINED = "declined", _("helper declined by the asker")
        HANDED_ON = "handed-on", _("handed on to a linked server")
        RETURNED = "returned", _("returned by the linked server")
        # To another group on this server (from_group -> to_group); it stays open there.
        PASSED = "passed", _("passed on to another group")
        # The member whose offer it answers said no, or did not answer in time.
        TO_BOARD = "to-board", _("not taken by the person who offered: on the board")

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)
    # A pass between groups on this server: the path the ask's history shows. Group
    # names only, which anyone may see.
    from_group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.ask_id}"


class OfferKind(models.TextChoices):
    SKILL = "skill", _("A skill")
    THING = "thing", _("Something to give or lend")
    TIME = "time", _("Time")


class Offer(models.Model):
    """Something a member can give. The same person may ask and offer."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers"
    )
    group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OfferKind.choices)
    category = models.CharField(_("kind of help"), max_length=20, choices=Category.choices)
    what = models.CharField(_("what you can offer"), max_length=500)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.what[:40]
