"""Reads of gatherings: those to come with their counts, and names where attendance is
not private; a member's own for their calendar and their page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from mutua.core.errors import NotFound
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources.models import Gathering, Rsvp
from mutua.resources.selectors.ledger import require_member

RECENT = timedelta(days=30)


@dataclass(frozen=True)
class GatheringView:
    gathering: Gathering
    going: int
    # Who said they are coming: empty when the gathering keeps attendance private.
    names: list[str]
    # The viewer's answer: True, False, or None when they have not answered.
    mine: bool | None


def _views(gatherings: list[Gathering], viewer: User) -> list[GatheringView]:
    rsvps = Rsvp.objects.filter(gathering__in=gatherings).select_related("member__profile")
    by_gathering: dict[int, list[Rsvp]] = {}
    for rsvp in rsvps:
        by_gathering.setdefault(rsvp.gathering_id, []).append(rsvp)
    views = []
    for g in gatherings:
        answers = by_gathering.get(g.pk, [])
        going = [r for r in answers if r.going]
        mine = next((r.going for r in answers if r.member_id == viewer.pk), None)
        names = [] if g.private_attendance else [r.member.display_name for r in going]
        views.append(GatheringView(g, len(going), names, mine))
    return views


def gatherings(
    viewer: User | None, group: Group, *, now: datetime | None = None
) -> list[GatheringView]:
    """Gatherings from a month back on, soonest first."""
    require_member(viewer, group)
    assert viewer is not None  # a member is signed in
    since = (now or timezone.now()) - RECENT
    rows = list(Gathering.objects.filter(group=group, ends_at__gte=since).select_related("group"))
    return _views(rows, viewer)


def gathering(viewer: User | None, group: Group, gathering_id: int) -> GatheringView:
    require_member(viewer, group)
    assert viewer is not None
    found = Gathering.objects.filter(group=group, pk=gathering_id).select_related("group").first()
    if found is None:
        raise NotFound("gathering")
    return _views([found], viewer)[0]


def going_to(member: User, *, since: datetime, until: datetime) -> list[Gathering]:
    """The gatherings a member said they are going to, for their private calendar."""
    return list(
        Gathering.objects.filter(
            rsvps__member=member,
            rsvps__going=True,
            starts_at__gte=since,
            starts_at__lte=until,
        ).select_related("group")
    )


def answered_by(member: User, *, now: datetime | None = None, limit: int = 50) -> list[Rsvp]:
    """The member's answers to gatherings not yet over, soonest first, with each
    gathering and its group (their own page)."""
    return list(
        Rsvp.objects.filter(member=member, gathering__ends_at__gt=now or timezone.now())
        .select_related("gathering__group")
        .order_by("gathering__starts_at", "pk")[:limit]
    )
