"""Hubs and stock: where a group keeps food and things, what it keeps, and every movement
in and out. A level is the sum of the movements; nothing stores it, so nothing edits it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Hub(models.Model):
    """A distribution point: a hall, a pantry, a garage. Its address is for members."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="hubs")
    name = models.CharField(gettext_lazy("name"), max_length=120)
    address = models.CharField(gettext_lazy("address"), max_length=300, blank=True)
    # As people write it ("Mon-Fri 10-13, Sat 9-12"): opening hours vary too much for a grid.
    opening_hours = models.CharField(gettext_lazy("opening hours"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="one_hub_name_per_group")
        ]

    def __str__(self) -> str:
        return self.name


class StockItem(models.Model):
    """A kind of thing the group keeps, counted in whole units (tins, kg, packs)."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="stock_items")
    name = models.CharField(gettext_lazy("name"), max_length=120)
    unit = models.CharField(gettext_lazy("unit"), max_length=30)
    # At or below this level at a hub, the stock keepers are told; 0 is never.
    low_at = models.PositiveIntegerField(gettext_lazy("low at"), default=0)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="one_item_name_per_group")
        ]

    def __str__(self) -> str:
        return self.name


class MovementKind(models.TextChoices):
    BOUGHT = "bought", gettext_lazy("Bought")
    DONATED = "donated", gettext_lazy("Donated")
    RECOVERED = "recovered", gettext_lazy("Recovered food")
    GIVEN = "given", gettext_lazy("Given out")
    SPOILED = "spoiled", gettext_lazy("Spoiled")


MOVEMENTS_IN = frozenset({MovementKind.BOUGHT, MovementKind.DONATED, MovementKind.RECOVERED})


class StockMovement(models.Model):
    """Stock in or out of one hub; `change` is + in, - out. Never edited: a mistake is
    put right by another movement."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="movements")
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=10, choices=MovementKind.choices)
    change = models.IntegerField()
    use_by = models.DateField(null=True, blank=True)
    # Why the level may go below zero (given out before it was counted in, a miscount);
    # required then, and shown to every member.
    reason = models.CharField(max_length=200, blank=True)
    # The ask this met, when given out for one.
    ask = models.ForeignKey(
        "aid.Ask", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["hub", "item"])]
        constraints = [
            models.CheckConstraint(condition=~Q(change=0), name="movement_moves_something"),
        ]

    def __str__(self) -> str:
        return f"{self.change:+d} {self.item_id} at {self.hub_id}"
