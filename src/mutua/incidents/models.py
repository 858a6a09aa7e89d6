"""Incidents: a group's response to a disaster (flood, storm, fire, heat, outbreak) over an
area, the asks inside it (cases), the work each group takes on a case, the volunteers from
other groups of the network who joined, and the figures kept when it closes.

Every table carries the group id of the incident (Citus keeps a group's rows together).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    FLOOD = "flood", _("Flood")
    STORM = "storm", _("Storm")
    FIRE = "fire", _("Fire")
    HEAT = "heat", _("Heat")
    OUTBREAK = "outbreak", _("Outbreak")


class WorkType(models.TextChoices):
    MUCKING_OUT = "mucking-out", _("Mucking out")
    TARPING = "tarping", _("Tarping a roof")
    DEBRIS = "debris", _("Clearing debris")
    SUPPLIES = "supplies", _("Bringing supplies")
    WELLNESS = "wellness-check", _("Wellness check")


class IncidentStatus(models.TextChoices):
    # Waiting for the group's decision to open it.
    PROPOSED = "proposed", _("Proposed")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    # The proposal to open it did not pass (or was withdrawn).
    NOT_OPENED = "not-opened", _("Not opened")


class Incident(models.Model):
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=12, choices=IncidentType.choices)
    status = models.CharField(
        max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.PROPOSED
    )
    # The area as compacted H3 cells (core.geo), as a group's area is stored.
    cells = models.JSONField(default=list)
    # WorkType values the incident coordinates, in WorkType's order.
    work_types = models.JSONField(default=list)
    # The extra questions asked of each case: [{"key", "label", "type", "choices"}]
    # (incidents.intake); answers are typed values, never free text.
    intake_fields = models.JSONField(default=list)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Opened at once by a dispatcher, and put to the group by `proposal` afterwards.
    emergency = models.BooleanField(default=False)
    # The decision that opens it, or confirms an emergency opening.
    proposal = models.OneToOneField(
        "governance.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incident",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The group's automatic rounds (minutes, 0 off) before the incident turned them on, and
    # when it did: closing puts them back unless the group decided on them since.
    rounds_before = models.PositiveIntegerField(null=True, blank=True)
    rounds_set_at = models.DateTimeField(null=True, blank=True)
    # The figures as they stood at closing (incidents.selectors.figures), kept for good.
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "group"], name="incident_status_group")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == IncidentStatus.OPEN

    def work_type_labels(self) -> list[tuple[str, str]]:
        return [(w, str(WorkType(w).label)) for w in self.work_types]


class Case(models.Model):
    """An ask inside the incident's area during the incident, with the answers to the
    incident's intake questions and the work it needs."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="cases")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    ask = models.ForeignKey("aid.Ask", on_delete=models.CASCADE, related_name="+")
    # WorkType values, as whoever assessed the case declared them.
    needs = models.JSONField(default=list)
    # {key: number | bool | choice} for the incident's intake fields; wiped with the ask's
    # personal data.
    intake = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["incident", "ask"], name="one_case_per_ask")]

    def __str__(self) -> str:
        return f"case {self.pk} of incident {self.incident_id}"


class WorkStatus(models.TextChoices):
    CLAIMED = "claimed", _("Taken")
    DONE = "done", _("Done")


class WorkClaim(models.Model):
    """One group taking one type of work on a case; another group may take another type."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="work_claims")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    work_type = models.CharField(max_length=20, choices=WorkType.choices)
    status = models.CharField(max_length=10, choices=WorkStatus.choices, default=WorkStatus.CLAIMED)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "work_type"], name="one_group_per_work_type_on_a_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_type} on case {self.case_id} by {self.group_id}"


class Volunteer(models.Model):
    """A member of another group of the network who joined the incident: they may take its
    cases (and only those) while it is open."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="volunteers")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_volunteering"
    )
    # The group they belong to, whose trust in them counts for the cases they take.
    home_group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "member"], name="one_join_per_incident")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in incident {self.incident_id}"
