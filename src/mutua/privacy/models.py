from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One reveal of private contact details: who saw whose, through which door, and why."""

    class Reason(models.TextChoices):
        ASKER = "asker", _("the person who asked")
        HELPER = "helper", _("the matched helper")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    ask = models.ForeignKey("aid.Ask", on_delete=models.CASCADE, related_name="access_log")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    channel = models.CharField(max_length=10)  # "web" or "api"
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw {self.ask_id}"
