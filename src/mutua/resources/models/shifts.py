"""Shifts: a group's rota (a breakfast programme Mon-Fri 7-9 with 3 people), members'
sign-ups for one day of it, and the personal calendar feed that lists them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Shift(models.Model):
    """A recurring shift: on the given weekdays, from `first_day` to `last_day` (or on),
    between two times of day, needing `slots` people."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="shifts")
    title = models.CharField(gettext_lazy("what"), max_length=120)
    # A hall, a hub, a kitchen: somewhere the group meets, never someone's home.
    place = models.CharField(gettext_lazy("where"), max_length=200, blank=True)
    # Monday is 0, as Python's date.weekday(); comma-separated, in order.
    weekdays = models.CharField(max_length=13)
    starts = models.TimeField()
    # Earlier than `starts`: the shift ends the next day (a night shift).
    ends = models.TimeField()
    slots = models.PositiveSmallIntegerField()
    # Kinds of help (core.categories) it needs, comma-separated; a hint, not a bar.
    skills = models.CharField(max_length=200, blank=True)
    first_day = models.DateField()
    last_day = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(slots__gt=0), name="shift_has_slots"),
            models.CheckConstraint(
                condition=Q(last_day__isnull=True) | Q(last_day__gte=models.F("first_day")),
                name="shift_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(d) for d in self.weekdays.split(",") if d.strip()]


class ShiftSignup(models.Model):
    """A member down for one day of a shift, until they drop out."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    day = models.DateField()
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    signed_up_at = models.DateTimeField(default=timezone.now)
    dropped_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["shift", "day"])]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "day", "member"],
                condition=Q(dropped_at__isnull=True),
                name="one_signup_per_member_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.shift_id} {self.day}"


class CalendarFeed(models.Model):
    """A member's private calendar address: a secret in the URL (calendar apps cannot log
    in), kept only as a keyed hash, and revoked by making a new one."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(revoked_at__isnull=True), name="one_live_feed"
            )
        ]

    def __str__(self) -> str:
        return f"calendar of {self.member_id}"
