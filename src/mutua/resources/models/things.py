"""A lending library of things: tools, ladders, car seats, a wheelchair, lent by a member
or a hub, and who has each now."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Thing(models.Model):
    """Something to borrow, lent by a member (`owner`) or kept at a hub (`hub`)."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="things")
    name = models.CharField(gettext_lazy("what"), max_length=120)
    description = models.CharField(gettext_lazy("about it"), max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="things_lent",
    )
    hub = models.ForeignKey(
        "resources.Hub", on_delete=models.PROTECT, null=True, blank=True, related_name="things"
    )
    added_at = models.DateTimeField(default=timezone.now)
    # Withdrawn from the library (lost, broken, taken back): kept for the loans' history.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Loan(models.Model):
    """A thing in a member's hands from `lent_at` until it is returned."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="loans")
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loans"
    )
    lent_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    returned_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-lent_at", "-pk"]
        indexes = [models.Index(fields=["returned_at", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["thing"], condition=Q(returned_at__isnull=True), name="one_loan_at_a_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.thing_id} with {self.borrower_id}"
