"""Shifts: making a rota, signing up for a day of it and dropping out, reminders, and the
members' private calendar addresses."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.core.categories import Category
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.hashing import keyed_hash
from mutua.core.text import clean_text
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources import policy, shift_times
from mutua.resources.events import ResourceEvent, announce
from mutua.resources.models import CalendarFeed, Shift, ShiftSignup

MAX_SLOTS = 200
# How far ahead a member may sign up, and how long before a shift they are reminded.
SIGNUP_HORIZON = timedelta(days=366)
REMIND_BEFORE = timedelta(hours=24)
FEED_PURPOSE = "calendar-feed"


def _require_member(user: User, group: Group) -> None:
    if not policy.may_see(user, group):
        raise NotAllowed(
            _("Only members of %(group)s can do this. Joining is one click.")
            % {"group": group.name}
        )


@transaction.atomic
def create_shift(
    *,
    group: Group,
    by: User,
    title: str,
    weekdays: list[int],
    starts: time,
    ends: time,
    slots: int,
    first_day: date,
    last_day: date | None = None,
    place: str = "",
    skills: list[str] | None = None,
) -> Shift:
    """Any member may start a rota: nobody is in charge of the group's time."""
    _require_member(by, group)
    title = clean_text(title, field="title", label=_("what the shift is"), limit=120, required=True)
    place = clean_text(place, field="place", label=_("where"), limit=200)
    days = sorted(set(weekdays))
    if not days or any(isinstance(d, bool) or not 0 <= d <= 6 for d in days):
        raise InvalidInput(_("Choose at least one day of the week."), field="weekdays")
    if isinstance(slots, bool) or not 1 <= slots <= MAX_SLOTS:
        raise InvalidInput(
            _("A shift needs from 1 to %(max)d people.") % {"max": MAX_SLOTS}, field="slots"
        )
    if starts == ends:
        raise InvalidInput(_("A shift must end at another time than it starts."), field="ends")
    if last_day is not None and last_day < first_day:
        raise InvalidInput(_("The last day comes before the first."), field="last_day")
    chosen = sorted(set(skills or []))
    unknown = [s for s in chosen if s not in Category.values]
    if unknown:
        raise InvalidInput(_("Unknown kind of help: %(c)s") % {"c": unknown[0]}, field="skills")
    return Shift.objects.create(
        group=group,
        title=title,
        place=place,
        weekdays=",".join(str(d) for d in days),
        starts=starts,
        ends=ends,
        slots=slots,
        skills=",".join(chosen),
        first_day=first_day,
        last_day=last_day,
        created_by=by,
    )


def _locked_shift(group: Group, shift_id: int) -> Shift:
    shift = Shift.objects.select_for_update().filter(group=group, pk=shift_id).first()
    if shift is None:
        raise InvalidInput(_("There is no such shift in this group."), field="shift")
    return shift


def _check_day(shift: Shift, day: date, now: datetime) -> None:
    if not shift_times.runs_on(shift.weekday_numbers, shift.first_day, shift.last_day, day):
        raise InvalidInput(_("The shift does not run on that day."), field="day")
    begin, _end = shift_times.span(day, shift.starts, shift.ends)
    if begin <= now:
        raise Conflict(_("That shift has already started."), field="day")
    if begin > now + SIGNUP_HORIZON:
        raise InvalidInput(_("That day is too far ahead to sign up for."), field="day")


@transaction.atomic
def sign_up(
    *, group: Group, shift_id: int, day: date, member: User, now: datetime | None = None
) -> ShiftSignup:
    """Put a member down for one day of a shift while it has a free slot. Signing up for
    the last slot is decided under a lock on the shift, so two people never take it both."""
    _require_member(member, group)
    now = now or timezone.now()
    shift = _locked_shift(group, shift_id)
    _check_day(shift, day, now)
    taken = ShiftSignup.objects.filter(shift=shift, day=day, dropped_at__isnull=True)
    if taken.filter(member=member).exists():
        raise Conflict(_("You are already down for that shift."))
    if taken.count() >= shift.slots:
        raise Conflict(_("That shift is full. Thank you all the same!"))
    try:
        with transaction.atomic():
            return ShiftSignup.objects.create(
                group=group, shift=shift, day=day, member=member, signed_up_at=now
            )
    except IntegrityError:
        raise Conflict(_("You are already down for that shift.")) from None


@transaction.atomic
def drop_out(
    *, group: Group, shift_id: int, day: date, member: User, now: datetime | None = None
) -> ShiftSignup:
    """Take a member off one day of a shift; the slot is free again for others."""
    now = now or timezone.now()
    shift = _locked_shift(group, shift_id)
    signup = ShiftSignup.objects.filter(
        shift=shift, day=day, member=member, dropped_at__isnull=True
    ).first()
    if signup is None:
        raise Conflict(_("You are not down for that shift."))
    begin, _end = shift_times.span(day, shift.starts, shift.ends)
    if begin <= now:
        raise Conflict(_("That shift has already started."), field="day")
    signup.dropped_at = now
    signup.save(update_fields=["dropped_at"])
    return signup


def remind_upcoming(*, now: datetime | None = None) -> int:
    """Announce a reminder for each sign-up whose shift starts within a day, once each
    (the periodic job; safe to run twice or late). Returns how many were announced."""
    now = now or timezone.now()
    soon = (now + REMIND_BEFORE).date()
    candidates = ShiftSignup.objects.filter(
        dropped_at__isnull=True,
        reminded_at__isnull=True,
        day__gte=now.date() - timedelta(days=1),
        day__lte=soon,
    ).select_related("shift")
    count = 0
    for signup in candidates:
        begin, _end = shift_times.span(signup.day, signup.shift.starts, signup.shift.ends)
        if not now < begin <= now + REMIND_BEFORE:
            continue
        with transaction.atomic():
            # Claimed with a conditional UPDATE, so two workers never both remind.
            claimed = ShiftSignup.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                announce(
                    ResourceEvent.SHIFT_REMINDER, group_id=signup.group_id, object_id=signup.pk
                )
                count += 1
    return count


def feed_hash(key: str) -> str:
    return keyed_hash(key, purpose=FEED_PURPOSE)


@transaction.atomic
def new_calendar_feed(*, member: User, now: datetime | None = None) -> str:
    """A new private calendar address for the member; the one before stops working.
    Returns the secret that goes into the URL (only its hash is kept)."""
    now = now or timezone.now()
    CalendarFeed.objects.filter(member=member, revoked_at__isnull=True).update(revoked_at=now)
    key = secrets.token_urlsafe(24)
    CalendarFeed.objects.create(member=member, key_hash=feed_hash(key), created_at=now)
    return key


def forget_person(user: User) -> None:
    """On erasure: off every shift to come, and their calendar address stops. Past
    sign-ups stay (under the pseudonym the account becomes), so the rota's history adds up."""
    now = timezone.now()
    ShiftSignup.objects.filter(
        member=user, dropped_at__isnull=True, day__gte=timezone.localdate(now)
    ).update(dropped_at=now)
    CalendarFeed.objects.filter(member=user, revoked_at__isnull=True).update(revoked_at=now)


@transaction.atomic
def revoke_calendar_feed(*, member: User, now: datetime | None = None) -> int:
    """Stop the member's calendar address; returns how many were live (0 or 1)."""
    return CalendarFeed.objects.filter(member=member, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
