from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    NETWORK = "network", _("Network")
    AREA = "area", _("Area")
    WARD = "ward", _("Ward")
    STREET = "street", _("Street")


class Group(models.Model):
    """A mutual aid group. Anyone may join; it covers an area made of H3 cells."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices, default="ward")
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    description = models.TextField(_("about"), blank=True, max_length=4000)
    # Total area of the cells, kept by the service that sets them, so that routing can
    # pick the smallest group covering a place with one ordered query.
    area_km2 = models.FloatField(default=0.0)
    center_lat = models.FloatField(null=True, blank=True)
    center_lon = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Routed asks come to a group only from this moment: enough members hold trust and the
    # groups whose area it overlaps agreed (set by mutua.governance; never unset).
    established_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_established(self) -> bool:
        return self.established_at is not None


class GroupCell(models.Model):
    """One H3 cell (any resolution) of a group's area; areas are stored compacted."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="cells")
    cell = models.CharField(max_length=20, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "cell"], name="group_cell_unique")]

    def __str__(self) -> str:
        return self.cell


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    # The member lives outside this group's area and offers to help in it too, farther than
    # they would travel from home: dispatch places them here for the asks left over once
    # everyone has been matched from home (mutua.matching.adapter). One per member.
    second_area = models.BooleanField(_("helps here as a second area"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(second_area=True),
                name="membership_one_second_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id}"


class PlaceKind(models.TextChoices):
    """What a place name a group added stands for; the resolver treats them alike, people
    read the kind on the group's page and in the places API."""

    DISTRICT = "district", _("District or neighbourhood")
    ESTATE = "estate", _("Estate")
    STREET = "street", _("Street")
    LANDMARK = "landmark", _("Landmark")
    POSTCODE = "postcode", _("Postcode district")


class PlaceName(models.Model):
    """A name people use for a place in a group's area ("Dalston", "Nightingale Estate",
    "E8"), added by the group so that asks typed with it land where they mean."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="place_names")
    name = models.CharField(_("name"), max_length=120)
    # The name folded as the resolver folds typed text (mutua.core.gazetteer.fold), so
    # finding the names in a sentence is one indexed lookup.
    folded = models.CharField(max_length=120, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=PlaceKind.choices, default=PlaceKind.DISTRICT
    )
    lat = models.FloatField()
    lon = models.FloatField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "folded"], name="place_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
