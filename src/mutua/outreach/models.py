"""The group's leaflet texts: every edit is a new version, so the group sees who changed
what and when, and the newest version of each language is the one printed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LeafletVersion(models.Model):
    """One edit of a group's leaflet in one language. Never changed once written."""

    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="leaflet_versions"
    )
    language = models.CharField(_("language"), max_length=12)
    headline = models.CharField(_("headline"), max_length=120)
    message = models.TextField(_("message"), max_length=600, blank=True)
    # Comma-separated category slugs, in the order the leaflet lists them.
    categories = models.CharField(_("kinds of help listed"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["group", "language", "-at"])]

    def __str__(self) -> str:
        return f"leaflet of {self.group_id} ({self.language})"

    @property
    def category_slugs(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]
