"""Writes of the check-in rota: signing people up, joining the rota, the weekly
assignment, logging calls (a call that finds someone needs help becomes an ask) and
escalating weeks that ended without reaching someone."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, ConsentChannel
from mutua.checkins import rota
from mutua.checkins.models import Assignment, Call, Callee, Caller, NumberShown, Outcome
from mutua.core import geo
from mutua.core.categories import Category
from mutua.core.errors import Conflict, InvalidInput, NotAllowed
from mutua.core.phones import e164_or_empty
from mutua.governance.models import LogKind, Role
from mutua.governance.policy import is_trusted, may_act_as, may_dispatch
from mutua.governance.services import record_in_history
from mutua.groups.models import Group
from mutua.groups.selectors import is_member
from mutua.people.models import User

CONSENT_TEXT = (
    "I agree that the group keeps my name, number and address to call me each week, "
    "and that only my caller of the week sees my number."
)


def week_of(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


@transaction.atomic
def sign_up(
    *,
    group: Group,
    by: User,
    name: str,
    phone: str,
    language: str,
    lat: float,
    lon: float,
    address: str = "",
    consent: bool,
    for_self: bool,
) -> Callee:
    """Put someone on the list of people called each week: a member for themselves, or
    a holder of the group's hotline role for a caller, with the consent they gave on the
    phone. Nothing is kept without consent."""
    if for_self and not is_member(group=group, user=by):
        raise NotAllowed(_("Join the group first; it takes one click."))
    if not for_self and not may_act_as(by, group, Role.HOTLINE):
        raise NotAllowed(_("Only members holding the group's hotline role sign others up."))
    if not consent:
        raise InvalidInput(
            _("We need the person's agreement to keep their details."), field="consent"
        )
    number = e164_or_empty(phone)
    if not number:
        raise InvalidInput(
            _("Give a phone number to call, for example +447700900123."), field="phone"
        )
    if not name.strip():
        raise InvalidInput(_("Give a name to ask for on the phone."), field="name")
    return Callee.objects.create(
        group=group,
        name=name.strip()[:120],
        phone=number,
        address=address.strip()[:300],
        lat=lat,
        lon=lon,
        language=language or str(settings.LANGUAGE_CODE),
        user=by if for_self else None,
        recorded_by=by,
        consent_at=timezone.now(),
        consent_text=CONSENT_TEXT,
    )


@transaction.atomic
def stop_calls(*, callee: Callee, by: User) -> Callee:
    """Take someone off the list: themselves, or the hotline for them. Their name, number
    and address are wiped at once and their place kept only as its public area: they
    agreed to them being kept to be called, and the calls have stopped. The counts of
    calls made stay, with nothing in them that says who."""
    own = callee.user_id is not None and callee.user_id == by.pk
    if not own and not may_act_as(by, callee.group, Role.HOTLINE):
        raise NotAllowed(_("Only the person or the group's hotline can stop these calls."))
    callee.active = False
    callee.name = callee.phone = callee.address = ""
    callee.lat, callee.lon = geo.cell_center(geo.public_cell(callee.lat, callee.lon))
    callee.save(update_fields=["active", "name", "phone", "address", "lat", "lon"])
    return callee


def record_numbers_shown(*, viewer: User, assignments: list[Assignment], channel: str) -> None:
    """Log that `viewer` was shown the numbers of the people in `assignments` (their own
    calls of the week, listed for them to call)."""
    NumberShown.objects.bulk_create(
        NumberShown(group_id=a.group_id, callee_id=a.callee_id, viewer=viewer, channel=channel)
        for a in assignments
    )


@transaction.atomic
def join_rota(*, group: Group, member: User) -> Caller:
    """Join the callers. Callers see the numbers of the people they call, so the group
    must trust them with its asks."""
    if not is_trusted(member, group):
        raise NotAllowed(
            _("Callers see people's numbers, so the group must trust you with its asks first.")
        )
    caller, _created = Caller.objects.update_or_create(
        group=group, member=member, defaults={"active": True}
    )
    return caller


@transaction.atomic
def leave_rota(*, group: Group, member: User) -> None:
    Caller.objects.filter(group=group, member=member).update(active=False)


def _languages(member: User) -> frozenset[str]:
    profile = getattr(member, "profile", None)
    spoken = list(profile.languages) if profile is not None and profile.languages else []
    return frozenset(spoken or [str(settings.LANGUAGE_CODE)])


@transaction.atomic
def assign_week(*, group: Group, week: date, by: User | None = None) -> list[Assignment]:
    """Give each active callee a caller for `week` (its Monday), by the dispatch engine
    (checkins.rota): last week's caller where possible, a shared language always. A
    callee already assigned that week keeps their caller; running it again adds only
    callees signed up since. `by` is who asked for it (a dispatcher); None for the
    worker."""
    if by is not None and not may_dispatch(by, group):
        raise NotAllowed(_("Only the group's dispatchers assign the calls."))
    week = week_of(week)
    taken = set(Assignment.objects.filter(group=group, week=week).values_list("callee", flat=True))
    callees = list(Callee.objects.filter(group=group, active=True).exclude(pk__in=taken))
    callers = list(
        Caller.objects.filter(group=group, active=True).select_related("member__profile")
    )
    if not callees or not callers:
        return []
    last = dict(
        Assignment.objects.filter(group=group, week=week - timedelta(days=7)).values_list(
            "callee", "caller"
        )
    )
    per_caller = max(
        int(settings.MUTUA_CHECKIN_CALLS_PER_CALLER), math.ceil(len(callees) / len(callers))
    )
    load = dict.fromkeys((c.member_id for c in callers), 0)
    for caller_id in Assignment.objects.filter(group=group, week=week).values_list(
        "caller", flat=True
    ):
        if caller_id in load:
            load[caller_id] += 1
    chosen = rota.assign(
        [rota.Person(c.pk, c.language, last.get(c.pk)) for c in callees],
        [
            rota.Volunteer(c.member_id, _languages(c.member), per_caller - load[c.member_id])
            for c in callers
        ],
    )
    by_id = {c.pk: c for c in callees}
    return [
        Assignment.objects.create(group=group, callee=by_id[callee], caller_id=caller, week=week)
        for callee, caller in chosen.items()
    ]


@transaction.atomic
def log_call(*, assignment: Assignment, by: User, outcome: str, note: str = "") -> Call:
    """Log one call of the week. "Needs help" becomes an ask of the group, with the
    person's details and the consent they gave; `note` says what they need."""
    if assignment.caller_id != by.pk and not may_dispatch(by, assignment.group):
        raise NotAllowed(_("Only the caller of the week logs this call."))
    if outcome not in Outcome.values:
        raise InvalidInput(_("Say how the call went."), field="outcome")
    if Call.objects.filter(
        assignment=assignment, outcome__in=[Outcome.DONE, Outcome.NEEDS_HELP]
    ).exists():
        raise Conflict(_("This week's call is already logged."))
    ask: Ask | None = None
    if outcome == Outcome.NEEDS_HELP:
        if not note.strip():
            raise InvalidInput(_("Say what they need, so the ask can be taken."), field="note")
        callee = assignment.callee
        ask = aid_services.create_ask(
            what=note.strip()[:2000],
            category=Category.OTHER,
            language=callee.language,
            lat=callee.lat,
            lon=callee.lon,
            address=callee.address,
            contact_name=callee.name,
            contact_phone=callee.phone,
            consent=True,
            consent_channel=ConsentChannel.PHONE,
            recorded_by=by,
            asker=callee.user,
            # The caller heard the need on the call: a new ask, as the hotline's tick says.
            allow_duplicate=True,
        )
    return Call.objects.create(assignment=assignment, outcome=outcome, by=by, ask=ask)


@transaction.atomic
def escalate_missed(*, now: datetime | None = None) -> int:
    """Tell each group, in its history, of last weeks' check-ins that never reached the
    person (no call, or only unanswered ones); each once. Safe to run any time."""
    today = timezone.localdate(now or timezone.now())
    missed = (
        Assignment.objects.filter(
            week__lte=week_of(today) - timedelta(days=7), escalated_at__isnull=True
        )
        .exclude(calls__outcome__in=[Outcome.DONE, Outcome.NEEDS_HELP])
        .select_related("group", "caller")
    )
    count = 0
    at = now or timezone.now()
    for assignment in missed:
        # Of two workers at once, the one that marks it tells the group.
        if not Assignment.objects.filter(pk=assignment.pk, escalated_at__isnull=True).update(
            escalated_at=at
        ):
            continue
        record_in_history(
            group=assignment.group,
            kind=LogKind.CHECKIN_MISSED,
            actor=assignment.caller,
            detail=assignment.week.isoformat(),
        )
        count += 1
    return count


def assign_this_week(*, now: datetime | None = None) -> int:
    """The worker's job: assign the calls of the current week in every group with a rota."""
    week = week_of(timezone.localdate(now or timezone.now()))
    groups = Group.objects.filter(pk__in=Caller.objects.filter(active=True).values("group")).filter(
        pk__in=Callee.objects.filter(active=True).values("group")
    )
    return sum(len(assign_week(group=g, week=week)) for g in groups)


def forget_person(user: User) -> None:
    """Erase the sign-up of the person (privacy.erasure, in privacy's transaction)."""
    Callee.objects.filter(user=user).delete()
    Caller.objects.filter(member=user).delete()
