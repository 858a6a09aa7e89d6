"""Reads for groups."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from mutua.core import geo
from mutua.groups.models import Group, GroupCell, Membership
from mutua.people.models import User


def smallest_group_covering(lat: float, lon: float) -> Group | None:
    """The group with the smallest area that covers the point, or None."""
    row = (
        GroupCell.objects.filter(cell__in=geo.ancestors(lat, lon))
        .select_related("group")
        .order_by("group__area_km2", "group_id")
        .first()
    )
    return row.group if row else None


def group_by_slug(slug: str) -> Group:
    try:
        return Group.objects.select_related("parent").get(slug=slug)
    except Group.DoesNotExist:
        raise Http404(slug) from None


def groups_with_counts() -> QuerySet[Group]:
    return Group.objects.annotate(member_count=Count("memberships")).select_related("parent")


def is_member(*, group: Group, user: User) -> bool:
    return (
        bool(user.is_authenticated) and Membership.objects.filter(group=group, user=user).exists()
    )


def groups_of(user: User) -> QuerySet[Group]:
    return Group.objects.filter(memberships__user=user)
