"""The open ledger: double entry in whole minor units, never edited, only reversed; and
money asks, whose asker only the treasurer sees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mutua.core.fields import EncryptedTextField


class Ledger(models.Model):
    """One per group, made with its first transfer. Its row is the lock every write to the
    group's money takes, so two treasurers paying at once never spend the same pound
    twice, and `balance` is kept in the same transaction as the entries it sums."""

    group = models.OneToOneField(
        "groups.Group", on_delete=models.CASCADE, primary_key=True, related_name="ledger"
    )
    currency = models.CharField(max_length=3)
    # The group's funds: always the sum of the entries on Account.FUNDS (a test holds the
    # code to it under concurrent writes). Kept so pages need not sum every row.
    balance = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"ledger of {self.group_id}"


class Account(models.TextChoices):
    """The three sides money moves between. A transfer's entries sum to zero: money in is
    +funds / -income, money out is -funds / +spending."""

    FUNDS = "funds", gettext_lazy("The group's funds")
    INCOME = "income", gettext_lazy("Money in")
    SPENDING = "spending", gettext_lazy("Money out")


class TransferKind(models.TextChoices):
    DONATION = "donation", gettext_lazy("Donation")
    DUES = "dues", gettext_lazy("Dues")
    OTHER_IN = "other-in", gettext_lazy("Other money in")
    PURCHASE = "purchase", gettext_lazy("Purchase")
    PAYMENT = "payment", gettext_lazy("Payment to a member who asked")
    OTHER_OUT = "other-out", gettext_lazy("Other money out")
    REVERSAL = "reversal", gettext_lazy("Reversal")


MONEY_IN = frozenset({TransferKind.DONATION, TransferKind.DUES, TransferKind.OTHER_IN})


class Transfer(models.Model):
    """One movement of money, as two entries that sum to zero. Never edited or deleted: a
    mistake is put right by a reversal, a new transfer with the opposite entries."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(max_length=12, choices=TransferKind.choices)
    # Positive; the entries carry the signs.
    amount = models.BigIntegerField()
    category = models.CharField(gettext_lazy("category"), max_length=60, blank=True)
    # Read by every member: what it was for, never who received help.
    memo = models.CharField(gettext_lazy("what for"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    receipt = models.FileField(upload_to="receipts/%Y/%m/", blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    # A payment the group decided: the passed proposal, in place of a treasurer.
    proposal = models.ForeignKey(
        "governance.Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["group", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive")
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk} in {self.group_id}"

    @property
    def funds_change(self) -> int:
        """What it did to the group's funds: + in, - out (a reversal undoes its original;
        load `reverses` with select_related)."""
        if self.reverses is not None:
            return -self.reverses.funds_change
        return self.amount if self.kind in MONEY_IN else -self.amount


class Entry(models.Model):
    """One side of a transfer: a signed amount on one account."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="entries")
    account = models.CharField(max_length=10, choices=Account.choices)
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["group", "account"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.amount} on {self.account}"


class MoneyAskStatus(models.TextChoices):
    WAITING = "waiting", gettext_lazy("Waiting")
    PROPOSED = "proposed", gettext_lazy("Put to the group")
    PAID = "paid", gettext_lazy("Paid")
    DECLINED = "declined", gettext_lazy("Not paid")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


class MoneyAsk(models.Model):
    """A member asking the pool for money. Members see its pseudonym, amount and status;
    only the asker and the treasurer role see who asked and why."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="money_asks")
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="money_asks"
    )
    # Random, per ask, so two asks of one member cannot be linked by it.
    pseudonym = models.CharField(max_length=12, unique=True)
    amount = models.BigIntegerField()
    # Personal (rent, a bill, a health need): encrypted at rest, wiped on erasure.
    reason = EncryptedTextField(blank=True, max_length=2000)
    status = models.CharField(
        max_length=10,
        choices=MoneyAskStatus.choices,
        default=MoneyAskStatus.WAITING,
        db_index=True,
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    proposal = models.OneToOneField(
        "governance.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="money_ask",
    )
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="money_ask"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="money_ask_amount_positive")
        ]

    def __str__(self) -> str:
        return self.pseudonym
