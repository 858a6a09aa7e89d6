"""People who want a regular call, the group's rota of callers, who calls whom each week,
and how each call went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import EncryptedFloatField, EncryptedTextField


class Callee(models.Model):
    """Someone who asked for a regular call: by themselves, or through the hotline with
    their spoken consent. Their number and place are encrypted; only their caller of the
    week sees the number."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    name = EncryptedTextField(_("name"), max_length=120)
    phone = EncryptedTextField(_("phone"), max_length=40)
    address = EncryptedTextField(_("address"), max_length=300, blank=True)
    # Where an ask goes if a call finds they need help.
    lat = EncryptedFloatField()
    lon = EncryptedFloatField()
    language = models.CharField(_("language"), max_length=12)
    # Their own account when they signed themselves up.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Whoever recorded the sign-up (the person themselves, or a hotline volunteer).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_at = models.DateTimeField()
    consent_text = models.CharField(max_length=400)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"callee {self.pk}"


class Caller(models.Model):
    """A member on the group's rota of callers."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_rotas"
    )
    active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="one_rota_place_per_group")
        ]

    def __str__(self) -> str:
        return f"caller {self.member_id} in {self.group_id}"


class Assignment(models.Model):
    """Who calls whom in one week (`week` is its Monday)."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    callee = models.ForeignKey(Callee, on_delete=models.CASCADE, related_name="assignments")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_assignments"
    )
    week = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the week ended without a call that reached them, and the group was told.
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "pk"]
        constraints = [models.UniqueConstraint(fields=["callee", "week"], name="one_caller_a_week")]

    def __str__(self) -> str:
        return f"{self.caller_id} calls {self.callee_id} in {self.week}"


class Outcome(models.TextChoices):
    DONE = "done", _("Talked: all well")
    NO_ANSWER = "no-answer", _("No answer")
    NEEDS_HELP = "needs-help", _("Needs help")


class Call(models.Model):
    """One call of an assignment, as the caller logged it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="calls")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    # The ask a "needs help" call became.
    ask = models.ForeignKey(
        "aid.Ask", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.outcome} on {self.assignment_id}"


class NumberShown(models.Model):
    """One showing of a person's number to their caller of the week (the rota page lists
    it for them to call): every reveal is logged, as privacy.AccessLog does for asks. The
    person sees on their own sign-up who was shown it and when."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    callee = models.ForeignKey(Callee, on_delete=models.CASCADE, related_name="numbers_shown")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10)  # "web" (the only door today)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw the number of {self.callee_id}"
