"""Reads for groups."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
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


def group_page(slug: str) -> Group:
    """A group with `member_count` and `open_ask_count` for its public page."""
    qs = Group.objects.select_related("parent").annotate(
        member_count=Count("memberships", distinct=True),
        open_ask_count=Count("asks", filter=Q(asks__status="open"), distinct=True),
    )
    try:
        return qs.get(slug=slug)
    except Group.DoesNotExist:
        raise Http404(slug) from None


def _centres() -> list[tuple[str, float, float]]:
    """Name and centre of every group with an area, largest area first."""
    rows = Group.objects.order_by("-area_km2", "pk").values_list("name", "center_lat", "center_lon")
    return [(name, lat, lon) for name, lat, lon in rows if lat is not None and lon is not None]


def map_centre() -> tuple[float, float] | None:
    """Where a map should open: the middle of the largest group's area, if there is one."""
    centres = _centres()
    return None if not centres else (centres[0][1], centres[0][2])


def locate(text: str) -> tuple[float, float] | None:
    """A point for a place typed as words: a group's area named in it, else a known town
    or district (preferring those near the groups' areas), else None."""
    lowered = text.lower()
    groups = _centres()
    named = [g for g in groups if geo.names_in(lowered, g[0].lower())]
    if named:
        # The longest name is the most specific ("Hackney Wick" over "Hackney").
        _name, lat, lon = max(named, key=lambda g: len(g[0]))
        return lat, lon
    return geo.find_place_name(text, anchors=[(lat, lon) for _n, lat, lon in groups])
