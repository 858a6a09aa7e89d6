"""A group's proposal to change its own area on the map: the area it would have."""

from __future__ import annotations

from django.db import models

from mutua.governance.models.proposals import Proposal


class AreaProposal(models.Model):
    """The area a `change-area` proposal would give its group, as compacted H3 cells
    (groups.GroupCell's form), checked when the proposal opened."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="new_area")
    cells = models.JSONField()
    area_km2 = models.FloatField()
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"area of proposal {self.proposal_id}"
