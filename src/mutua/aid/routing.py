"""Which group an ask goes to.

The most local group first: of the established groups whose area covers the place, the
smallest kind of group there is (a street before its ward, a ward before its area).
When several groups of that kind cover the place (overlapping wards, say), the ask goes
to the one with the most room: the fewest open asks per helper active lately (a member
who took one of its asks in the last ACTIVE_DAYS days; a group with none counts as one),
then the smaller area. Only established groups take routed asks: safeguarding's rule
that a group is established (and that the groups whose area it overlaps agreed) before
it receives anything holds here, because routing never looks at any other group.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from mutua.aid.models import Ask, AskStatus, Claim
from mutua.groups.models import Group
from mutua.groups.selectors import established_groups_covering

ACTIVE_DAYS = 30


def route(lat: float, lon: float) -> Group | None:
    """The group an ask at this place goes to, or None when no established group covers
    it (the ask then waits on the unrouted list)."""
    covering = established_groups_covering(lat, lon)
    if not covering:
        return None
    peers = [group for group in covering if group.kind == covering[0].kind]
    if len(peers) == 1:
        return peers[0]
    return min(peers, key=_load_of(peers))


def _load_of(groups: list[Group]) -> Callable[[Group], tuple[float, float, int]]:
    ids = [group.pk for group in groups]
    open_asks = dict(
        Ask.objects.filter(group_id__in=ids, status=AskStatus.OPEN)
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    since = timezone.now() - timedelta(days=ACTIVE_DAYS)
    active = dict(
        Claim.objects.filter(ask__group_id__in=ids, claimed_at__gte=since)
        .values("ask__group")
        .annotate(n=Count("helper", distinct=True))
        .values_list("ask__group", "n")
    )

    def load(group: Group) -> tuple[float, float, int]:
        per_helper = open_asks.get(group.pk, 0) / max(active.get(group.pk, 0), 1)
        return (per_helper, group.area_km2, group.pk)

    return load
