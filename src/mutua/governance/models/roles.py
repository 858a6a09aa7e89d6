"""Role terms, each with an end, and the trust members give one another."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from mutua.governance.models.group_settings import Role


class TermSource(models.TextChoices):
    PROPOSAL = "proposal", gettext_lazy("a decision")
    TRUST = "trust", gettext_lazy("trust from members")
    BOOTSTRAP = "bootstrap", gettext_lazy("founding the group")
    OPERATOR = "operator", gettext_lazy("the server's operator")


class TermStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Held")
    EXPIRED = "expired", gettext_lazy("Term ended")
    REVOKED = "revoked", gettext_lazy("Revoked by a decision")
    RENEWED = "renewed", gettext_lazy("Renewed")
    LEFT = "left", gettext_lazy("Ended: left the group")


class RoleTerm(models.Model):
    """One person holding one role in one group, from `starts_at` until `ends_at` at most.

    Rows are only created by governance.services, from a passed proposal, trust reaching the
    group's threshold, or founding a group; a test holds the code to that.
    """

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="role_terms")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_terms"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    source = models.CharField(max_length=10, choices=TermSource.choices)
    proposal = models.ForeignKey(
        "Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="granted_terms",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(db_index=True)
    status = models.CharField(
        max_length=10, choices=TermStatus.choices, default=TermStatus.ACTIVE, db_index=True
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        "Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ended_terms",
    )

    class Meta:
        ordering = ["role", "ends_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "holder", "role"],
                condition=Q(status="active"),
                name="one_active_term_per_role",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="term_has_end"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} as {self.role} in {self.group_id}"


class Trust(models.Model):
    """One member trusting another with one role. Pending trust counts towards the group's
    threshold; once it grants a term it is spent, so a role that expires needs fresh trust."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="trusts")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust_received"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    given_at = models.DateTimeField(auto_now_add=True)
    spent_at = models.DateTimeField(null=True, blank=True)
    term = models.ForeignKey(
        RoleTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="trusts"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "giver", "receiver", "role"],
                condition=Q(spent_at__isnull=True),
                name="one_pending_trust",
            ),
            models.CheckConstraint(condition=~Q(giver=F("receiver")), name="no_self_trust"),
        ]

    def __str__(self) -> str:
        return f"{self.giver_id} trusts {self.receiver_id} as {self.role}"
