from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One reveal of private contact details: who saw whose, through which door, and why."""

    class Reason(models.TextChoices):
        ASKER = "asker", _("the person who asked")
        HELPER = "helper", _("the matched helper")
        SAFEGUARDING = "safeguarding", _("the group's safeguarding role")
        HOTLINE = "hotline", _("the group's hotline role")
        OPERATOR = "operator", _("an export by whoever runs the server")
        LINKED_SERVER = "linked-server", _("handed on to a linked server")
        # Passed to another group on this server: its roles may see the details now.
        OTHER_GROUP = "other-group", _("passed on to another group")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    ask = models.ForeignKey("aid.Ask", on_delete=models.CASCADE, related_name="access_log")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    channel = models.CharField(max_length=10)  # "web", "api", "sms" or "export"
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw {self.ask_id}"


class Report(models.Model):
    """A worry about an ask, an offer or a member, for the group's safeguarding role."""

    class Kind(models.TextChoices):
        ASK = "ask", _("an ask")
        OFFER = "offer", _("an offer")
        MEMBER = "member", _("a member")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The group whose safeguarding role reads it; null when nothing ties it to a group.
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_made",
    )
    ask = models.ForeignKey("aid.Ask", on_delete=models.SET_NULL, null=True, blank=True)
    offer = models.ForeignKey("aid.Offer", on_delete=models.SET_NULL, null=True, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_about",
    )
    why = models.TextField(_("what worries you"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.kind})"


class Block(models.Model):
    """A member who never wants to be matched with another, either way round."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="no_self_block"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"
