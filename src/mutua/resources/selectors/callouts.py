"""Reads of callouts: the group's callouts with their counts, one callout, and who is
near enough to be called."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from mutua.core import geo
from mutua.core.errors import NotFound
from mutua.groups.models import Group
from mutua.groups.selectors import members_of
from mutua.people.models import User
from mutua.resources.models import Answer, Callout, CalloutAnswer
from mutua.resources.selectors.ledger import require_member

RECENT = 20


@dataclass(frozen=True)
class CalloutView:
    """A callout as members see it: counts of answers only (never who), and the viewer's
    own answer."""

    callout: Callout
    coming: int
    cant: int
    mine: str


def _counted(group: Group) -> QuerySet[Callout]:
    return (
        Callout.objects.filter(group=group)
        .select_related("group")
        .annotate(
            coming=Count("answers", filter=Q(answers__answer=Answer.COMING)),
            cant=Count("answers", filter=Q(answers__answer=Answer.CANT)),
        )
    )


def _view(callout: Callout, mine: str) -> CalloutView:
    # `coming` and `cant` are annotations of _counted.
    return CalloutView(callout, getattr(callout, "coming", 0), getattr(callout, "cant", 0), mine)


def callouts(viewer: User | None, group: Group) -> list[CalloutView]:
    """The open callouts, soonest first, then the last closed ones."""
    require_member(viewer, group)
    assert viewer is not None  # a member is signed in
    rows = _counted(group)
    open_ones = list(rows.filter(closed_at__isnull=True).order_by("starts_at", "pk"))
    closed = list(rows.filter(closed_at__isnull=False)[:RECENT])
    mine = dict(
        CalloutAnswer.objects.filter(
            member=viewer, callout__in=[c.pk for c in open_ones + closed]
        ).values_list("callout_id", "answer")
    )
    return [_view(c, mine.get(c.pk, "")) for c in open_ones + closed]


def callout(viewer: User | None, group: Group, callout_id: int) -> CalloutView:
    """One callout of the group, with its counts; NotFound when there is none."""
    require_member(viewer, group)
    assert viewer is not None
    found = _counted(group).filter(pk=callout_id).first()
    if found is None:
        raise NotFound("callout")
    mine = (
        CalloutAnswer.objects.filter(callout=found, member=viewer)
        .values_list("answer", flat=True)
        .first()
    )
    return _view(found, mine or "")


def within_reach(callout: Callout) -> list[User]:
    """The members a callout is for: those whose home place is within its radius, not
    taking a break, and not the one who sent it. Members who gave no home place are not
    near anywhere we know of, so they are not called."""
    box = geo.bounding_box(callout.lat, callout.lon, callout.radius_km)
    lat_min, lat_max, lon_min, lon_max = box
    rows = members_of(callout.group).filter(
        user__is_active=True,
        user__profile__paused=False,
        user__profile__home_lat__gte=lat_min,
        user__profile__home_lat__lte=lat_max,
        user__profile__home_lon__gte=lon_min,
        user__profile__home_lon__lte=lon_max,
    )
    if callout.sent_by_id is not None:
        rows = rows.exclude(user_id=callout.sent_by_id)
    near = []
    for m in rows.order_by("user_id"):
        home_lat, home_lon = m.user.profile.home_lat, m.user.profile.home_lon
        if home_lat is None or home_lon is None:  # filtered above; says so to mypy
            continue
        if geo.haversine_km(callout.lat, callout.lon, home_lat, home_lon) <= callout.radius_km:
            near.append(m.user)
    return near
