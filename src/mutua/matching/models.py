"""Dispatch runs, the suggestions they make, and what they could not match and why; the
automatic rounds a group decided on, and what each round did.

Every table here carries the group id (the ask's group for suggestions and unmatched asks),
so that a sharded database (Citus) can keep a group's rows together.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DispatchRun(models.Model):
    """One run of the dispatch engine over a group (and, for a network, its nested groups)."""

    # The group the run was started for; `groups` holds every group whose asks it read.
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="dispatch_runs"
    )
    groups = models.ManyToManyField("groups.Group", related_name="dispatch_runs_covering")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispatch_runs",
    )
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    seconds = models.FloatField(default=0.0)
    asks_considered = models.PositiveIntegerField(default=0)
    helpers_considered = models.PositiveIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    # Unmatched asks by UnmatchedReason value, e.g. {"no_helper_in_range": 3}.
    unmatched = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"dispatch run {self.pk} for {self.group_id}"

    @property
    def unmatched_total(self) -> int:
        return sum(int(count) for count in self.unmatched.values())

    @property
    def automatic(self) -> bool:
        """Whether an automatic round made it (a run by hand has its dispatcher)."""
        return hasattr(self, "round")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Timed out")
    SUPERSEDED = "superseded", _("No longer needed")


class Suggestion(models.Model):
    """A helper suggested for an ask by a run; the helper accepts (a claim) or declines."""

    # Null for an ask answering an offer, suggested to the member who offered without a
    # run (matching.receivers).
    run = models.ForeignKey(
        DispatchRun, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions"
    )
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="suggestions")
    ask = models.ForeignKey("aid.Ask", on_delete=models.CASCADE, related_name="suggestions")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    # From the ask's exact place to the centre of the helper's home cell; kept server-side,
    # shown only rounded (see approx_km) so it cannot pin the ask's door.
    distance_km = models.FloatField()
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ask"], condition=Q(status="pending"), name="one_pending_suggestion_per_ask"
            )
        ]
        indexes = [
            models.Index(fields=["helper", "status"], name="suggestion_helper_status"),
            models.Index(fields=["status", "expires_at"], name="suggestion_status_expiry"),
        ]

    def __str__(self) -> str:
        return f"suggestion {self.pk}: ask {self.ask_id} to {self.helper_id}"

    @property
    def approx_km(self) -> float:
        """The distance to the nearest half kilometre, at least 0.5."""
        return max(0.5, round(self.distance_km * 2) / 2)


class UnmatchedReason(models.TextChoices):
    """Why a run could not find a helper for an ask: the engine's reasons, plus declines."""

    NO_HELPER_IN_RANGE = "no_helper_in_range", _("no helper lives close enough")
    NO_CATEGORY = "no_category", _("nobody close enough helps with this kind of help")
    NO_LANGUAGE = "no_language", _("nobody close enough speaks the language")
    NO_TIME = "no_time", _("nobody close enough is free now")
    CAPACITY = "capacity", _("everyone who could is busy with other asks")
    DECLINED = "declined", _("the helpers who could have said no")


class UnmatchedAsk(models.Model):
    """An ask a run considered but could not propose to anyone, with the reason."""

    run = models.ForeignKey(DispatchRun, on_delete=models.CASCADE, related_name="unmatched_asks")
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="unmatched_asks"
    )
    ask = models.ForeignKey("aid.Ask", on_delete=models.CASCADE, related_name="unmatched_in")
    reason = models.CharField(max_length=20, choices=UnmatchedReason.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"ask {self.ask_id} unmatched in run {self.run_id}: {self.reason}"


class RoundSchedule(models.Model):
    """A group's automatic dispatch rounds, as its last decision on them set them.

    Written only by a passed "dispatch-rounds" proposal (services.set_round_schedule); the
    worker's periodic job runs a round when `next_at` has come.
    """

    group = models.OneToOneField(
        "groups.Group", on_delete=models.CASCADE, related_name="round_schedule"
    )
    # 0: rounds are off.
    every_minutes = models.PositiveIntegerField(default=0)
    next_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The decision that set it, shown on the dispatch page.
    proposal = models.ForeignKey(
        "governance.Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"rounds of {self.group_id} every {self.every_minutes} min"

    @property
    def is_on(self) -> bool:
        return self.every_minutes > 0


class Round(models.Model):
    """One automatic round: the dispatch run it made, and what it left as it was."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="rounds")
    run = models.OneToOneField(DispatchRun, on_delete=models.CASCADE, related_name="round")
    started_at = models.DateTimeField(db_index=True)
    # Suggestions of earlier runs still waiting for an answer: left with their helpers.
    kept = models.PositiveIntegerField(default=0)
    # Suggestions nobody answered in time, ended by this round (their asks were in it).
    expired = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"round {self.pk} of {self.group_id}"
