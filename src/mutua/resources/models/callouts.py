"""Rapid-response callouts: an urgent call to members near a place (an eviction defence,
a flood), and their answers, coming or not."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Callout(models.Model):
    """A call for people at a place and time. It is open until it is closed: by the
    periodic job once `ends_at` has passed, or earlier by its caller, who says why
    (enough people came, it was called off)."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="callouts")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    what = models.CharField(gettext_lazy("what is needed"), max_length=500)
    # Where to gather, as people say it ("outside 14 Mare Street"); members only see it.
    place = models.CharField(gettext_lazy("where"), max_length=200)
    lat = models.FloatField()
    lon = models.FloatField()
    radius_km = models.FloatField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    # How many members a message went to (set by notify once it has queued them).
    reached = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set only when someone closed it before its end; the periodic job leaves them empty.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.CharField(gettext_lazy("why it closed"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["closed_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="callout_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(radius_km__gt=0), name="callout_has_radius"),
        ]

    def __str__(self) -> str:
        return f"callout {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Answer(models.TextChoices):
    COMING = "coming", gettext_lazy("Coming")
    CANT = "cant", gettext_lazy("Can't come")


class AnsweredVia(models.TextChoices):
    PAGE = "page", gettext_lazy("Page")
    API = "api", gettext_lazy("API")
    SMS = "sms", gettext_lazy("Text message")


class CalloutAnswer(models.Model):
    """One member's answer to a callout; answering again changes it."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="callout_answers"
    )
    answer = models.CharField(max_length=8, choices=Answer.choices)
    via = models.CharField(max_length=8, choices=AnsweredVia.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["callout", "member"], name="one_answer_per_callout")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.answer} to {self.callout_id}"
