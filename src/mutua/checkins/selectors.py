"""Reads of the check-in rota: what one member sees on the group's rota page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from mutua.checkins.models import Assignment, Callee, Caller, NumberShown
from mutua.core.errors import NotFound
from mutua.governance.models import Role
from mutua.governance.policy import is_trusted, may_act_as, may_dispatch
from mutua.groups.models import Group
from mutua.people.models import User

OWN_NUMBER_SHOWN = 20


@dataclass(frozen=True)
class RotaPage:
    callers: list[Caller]
    people: int
    assigned: int
    mine: list[Assignment]
    own_sign_up: Callee | None
    # Who was shown the person's own number lately (their callers), newest first.
    own_number_shown: list[NumberShown]
    is_caller: bool
    may_join: bool
    may_assign: bool
    may_sign_up_others: bool


def callers(group: Group) -> QuerySet[Caller]:
    return Caller.objects.filter(group=group, active=True).select_related("member__profile")


def rota_page(*, group: Group, user: User, week: date) -> RotaPage:
    """The rota as `user` sees it in `week`: the callers by name, how many people are
    called, and the people they call themselves (with the number, theirs to call)."""
    on_rota = list(callers(group))
    is_caller = any(c.member_id == user.pk for c in on_rota)
    # Numbers only for someone still on the rota, of people still signed up: leaving the
    # rota (or a person stopping their calls) ends the sight of the number at once.
    mine = (
        list(
            Assignment.objects.filter(group=group, week=week, caller=user, callee__active=True)
            .select_related("callee")
            .prefetch_related("calls")
        )
        if is_caller
        else []
    )
    own = Callee.objects.filter(group=group, user=user, active=True).first()
    shown = (
        list(
            NumberShown.objects.filter(callee=own).select_related("viewer__profile")[
                :OWN_NUMBER_SHOWN
            ]
        )
        if own is not None
        else []
    )
    return RotaPage(
        callers=on_rota,
        people=Callee.objects.filter(group=group, active=True).count(),
        assigned=Assignment.objects.filter(group=group, week=week).count(),
        mine=mine,
        own_sign_up=own,
        own_number_shown=shown,
        is_caller=is_caller,
        may_join=is_trusted(user, group),
        may_assign=may_dispatch(user, group),
        may_sign_up_others=may_act_as(user, group, Role.HOTLINE),
    )


def get_assignment(*, group: Group, assignment_id: int) -> Assignment:
    try:
        return Assignment.objects.select_related("callee", "group").get(
            pk=assignment_id, group=group
        )
    except Assignment.DoesNotExist:
        raise NotFound(str(assignment_id)) from None


def get_own_sign_up(*, group: Group, user: User) -> Callee:
    found = Callee.objects.filter(group=group, user=user, active=True).first()
    if found is None:
        raise NotFound("sign-up")
    return found
