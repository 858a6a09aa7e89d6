"""Agreements: the group's written rules, each version adopted by a proposal."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from mutua.governance.models.proposals import Proposal


class Agreement(models.Model):
    """One of the group's written rules. Its text lives in versions, each adopted by a
    proposal."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(max_length=200)
    current_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField(max_length=20000)
    # RESTRICT, not PROTECT: deleting a whole group still takes both with it.
    proposal = models.ForeignKey(
        Proposal, on_delete=models.RESTRICT, related_name="adopted_versions"
    )
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} v{self.number}"
