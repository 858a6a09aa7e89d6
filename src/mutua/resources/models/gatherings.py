"""Gatherings: peer-support meetings and assemblies, and members' answers (RSVP)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Gathering(models.Model):
    """A meeting at a place and time. With `private_attendance`, nobody sees who said they
    are coming, only how many (a peer-support meeting)."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="gatherings")
    title = models.CharField(gettext_lazy("what"), max_length=120)
    description = models.CharField(gettext_lazy("about it"), max_length=1000, blank=True)
    # A hall, a park, a video call's address: somewhere the group meets, never a home.
    place = models.CharField(gettext_lazy("where"), max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    private_attendance = models.BooleanField(gettext_lazy("keep attendance private"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="gathering_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Rsvp(models.Model):
    """A member's answer to a gathering; answering again changes it."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    going = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gathering", "member"], name="one_rsvp_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {'going' if self.going else 'not going'} to {self.gathering_id}"
