"""Reads of shifts: the rota ahead with who is down for each day, and calendar feeds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from mutua.core.errors import NotFound
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources import shift_times
from mutua.resources.models import CalendarFeed, Shift, ShiftSignup
from mutua.resources.selectors.ledger import require_member

FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=120)


@dataclass(frozen=True)
class ShiftDay:
    """One day of a shift, as the rota shows it."""

    shift: Shift
    day: date
    begins: datetime
    ends: datetime
    taken: int
    # Who is down for it: for members on the rota page; empty in feeds.
    names: list[str]
    mine: bool

    @property
    def free(self) -> int:
        return max(0, self.shift.slots - self.taken)


def shifts_of(group: Group) -> list[Shift]:
    return list(Shift.objects.filter(group=group).select_related("group"))


def _days(shifts: list[Shift], start: date, end: date, viewer: User | None) -> list[ShiftDay]:
    signups: dict[tuple[int, date], list[ShiftSignup]] = defaultdict(list)
    rows = ShiftSignup.objects.filter(
        shift__in=shifts, day__gte=start, day__lte=end, dropped_at__isnull=True
    ).select_related("member__profile")
    for signup in rows:
        signups[(signup.shift_id, signup.day)].append(signup)
    days = []
    for shift in shifts:
        for day in shift_times.days_of(
            shift.weekday_numbers, shift.first_day, shift.last_day, start, end
        ):
            here = signups[(shift.pk, day)]
            begins, ends = shift_times.span(day, shift.starts, shift.ends)
            days.append(
                ShiftDay(
                    shift=shift,
                    day=day,
                    begins=begins,
                    ends=ends,
                    taken=len(here),
                    names=[s.member.display_name for s in here],
                    mine=viewer is not None and any(s.member_id == viewer.pk for s in here),
                )
            )
    return sorted(days, key=lambda d: (d.begins, d.shift.pk))


def rota(
    viewer: User | None, group: Group, *, days: int = 14, today: date | None = None
) -> list[ShiftDay]:
    """The group's shifts over the next `days` days, with who is down for each (members
    see one another's names on the rota, as on a paper one)."""
    require_member(viewer, group)
    start = today or timezone.localdate()
    return _days(shifts_of(group), start, start + timedelta(days=days - 1), viewer)


def group_feed(group: Group, *, now: datetime | None = None) -> list[ShiftDay]:
    """The group's shifts from a month back to four months ahead, without names: the
    group's feed is public, like its agreements, so it shows counts only."""
    today = timezone.localdate(now)
    days = _days(shifts_of(group), today - FEED_PAST, today + FEED_AHEAD, None)
    return [ShiftDay(d.shift, d.day, d.begins, d.ends, d.taken, names=[], mine=False) for d in days]


def member_feed(member: User, *, now: datetime | None = None) -> list[ShiftDay]:
    """The shifts a member is down for, from a month back to four months ahead."""
    today = timezone.localdate(now)
    signups = ShiftSignup.objects.filter(
        member=member,
        dropped_at__isnull=True,
        day__gte=today - FEED_PAST,
        day__lte=today + FEED_AHEAD,
    ).select_related("shift__group")
    days = []
    for signup in signups:
        shift = signup.shift
        begins, ends = shift_times.span(signup.day, shift.starts, shift.ends)
        days.append(ShiftDay(shift, signup.day, begins, ends, taken=0, names=[], mine=True))
    return sorted(days, key=lambda d: (d.begins, d.shift.pk))


def feed_member(key_hash: str) -> User:
    """Whose live calendar address this is; NotFound for a revoked or unknown one."""
    feed = (
        CalendarFeed.objects.filter(key_hash=key_hash, revoked_at__isnull=True)
        .select_related("member")
        .first()
    )
    if feed is None or not feed.member.is_active:
        raise NotFound("calendar")
    return feed.member


def has_feed(member: User) -> bool:
    return CalendarFeed.objects.filter(member=member, revoked_at__isnull=True).exists()
