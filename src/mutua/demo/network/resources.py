"""What the demo ward holds together: a ledger with entries, a hub with stock, weekly
shifts with sign-ups, things to borrow and a past callout, all written through the
resources services (a few dozen calls, so the demo stays fast)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.demo.network.plans import DemoPlan, Progress
from mutua.governance import services as governance_services
from mutua.governance.models import Role
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.resources.events import resource_changed
from mutua.resources.models import AnsweredVia
from mutua.resources.services import callouts, ledger, shifts, stock, things

LEDGER = (
    ("donation", 25000, "Street collection at the summer fair", "collections"),
    ("dues", 4500, "Monthly dues, nine members", "dues"),
    ("purchase", 6340, "Nappies, formula and sanitary pads", "baby"),
    ("donation", 10000, "From the tenants' association", "donations"),
    ("purchase", 2875, "Electricity top-ups for two households", "bills"),
)
ITEMS = (
    # name, unit, low at, in (kind, quantity), out
    ("Tinned tomatoes", "tins", 10, ("bought", 48), 30),
    ("Rice", "kg", 5, ("donated", 25), 12),
    ("Nappies (size 4)", "packs", 3, ("bought", 12), 10),
    ("Bread", "loaves", 0, ("recovered", 20), 14),
)
THINGS = (
    ("Ladder (3 m)", "Aluminium, folds flat"),
    ("Cordless drill", "With a box of bits"),
    ("Car seat (group 1)", "For children of 9 to 18 kg"),
    ("Pasting table", "For stalls and street parties"),
)


def create_resources(
    plan: DemoPlan, groups: list[Group], users: dict[str, User], now: datetime, progress: Progress
) -> None:
    progress.stage(_("Shared resources"), 5)
    demo = users[plan.demo_member.email]
    ward = groups[plan.demo_member.ward]
    neighbours = list(
        User.objects.filter(memberships__group=ward).exclude(pk=demo.pk).order_by("pk")[:8]
    )
    # Nobody is told of made-up resources either (see build_demo).
    with resource_changed.muted():
        _ledger(ward, demo, now)
        progress.advance()
        _stock(ward, demo, now)
        progress.advance()
        _shifts(ward, demo, neighbours, now)
        progress.advance()
        _things(ward, demo, neighbours)
        progress.advance()
        _callout(ward, plan.groups[plan.demo_member.ward].center, demo, neighbours, now)
        progress.advance()


def _ledger(ward: Group, demo: User, now: datetime) -> None:
    for days_ago, (kind, amount, memo, category) in zip((40, 33, 21, 12, 4), LEDGER, strict=True):
        ledger.record_transfer(
            group=ward,
            by=demo,
            kind=kind,
            amount=amount,
            memo=memo,
            category=category,
            now=now - timedelta(days=days_ago),
        )


def _stock(ward: Group, demo: User, now: datetime) -> None:
    hub = stock.create_hub(
        group=ward,
        by=demo,
        name="Community pantry",
        address="The church hall, side door",
        opening_hours="Tue and Fri 10:00-13:00, Sat 9:00-12:00",
    )
    use_by = timezone.localdate(now) + timedelta(days=2)
    for name, unit, low_at, (kind, quantity), given in ITEMS:
        item = stock.create_item(group=ward, by=demo, name=name, unit=unit, low_at=low_at)
        stock.record_movement(
            group=ward,
            by=demo,
            hub_id=hub.pk,
            item_id=item.pk,
            kind=kind,
            quantity=quantity,
            use_by=use_by if kind == "recovered" else None,
            now=now - timedelta(days=9),
        )
        stock.record_movement(
            group=ward,
            by=demo,
            hub_id=hub.pk,
            item_id=item.pk,
            kind="given",
            quantity=given,
            now=now - timedelta(days=2),
        )


def _shifts(ward: Group, demo: User, neighbours: list[User], now: datetime) -> None:
    today = timezone.localdate(now)
    breakfast = shifts.create_shift(
        group=ward,
        by=demo,
        title="Breakfast club",
        place="The church hall",
        weekdays=[0, 1, 2, 3, 4],
        starts=time(7, 0),
        ends=time(9, 0),
        slots=3,
        first_day=today,
        skills=["meals"],
    )
    shifts.create_shift(
        group=ward,
        by=demo,
        title="Pantry opening",
        place="Community pantry",
        weekdays=[1, 4],
        starts=time(10, 0),
        ends=time(13, 0),
        slots=2,
        first_day=today,
    )
    weekdays = [today + timedelta(days=d) for d in range(2, 9)]
    days = [d for d in weekdays if d.weekday() < 5]
    for day, person in zip(days, [demo, *neighbours], strict=False):
        shifts.sign_up(group=ward, shift_id=breakfast.pk, day=day, member=person, now=now)


def _things(ward: Group, demo: User, neighbours: list[User]) -> None:
    lenders = neighbours[: len(THINGS)] or [demo]
    made = [
        things.add_thing(group=ward, by=lenders[i % len(lenders)], name=name, description=about)
        for i, (name, about) in enumerate(THINGS)
    ]
    if made[0].owner_id != demo.pk:
        due = timezone.localdate() + timedelta(days=5)
        things.borrow(group=ward, thing_id=made[0].pk, member=demo, due_on=due)


def _callout(
    ward: Group, center: tuple[float, float], demo: User, neighbours: list[User], now: datetime
) -> None:
    """A callout of last week, answered and closed, so the page shows what one looks like."""
    governance_services.trust_by_operator(group=ward, member=demo, role=Role.CALLER, now=now)
    sent = now - timedelta(days=6, hours=3)
    callout = callouts.send_callout(
        group=ward,
        by=demo,
        what="Eviction defence: a neighbour's bailiffs are due at 8. Come and stand with them.",
        place="The church hall",
        lat=center[0],
        lon=center[1],
        radius_km=2,
        starts_at=sent + timedelta(minutes=50),
        now=sent,
    )
    for i, person in enumerate(neighbours):
        callouts.answer_callout(
            group=ward,
            callout_id=callout.pk,
            member=person,
            coming=i % 3 != 2,
            via=AnsweredVia.SMS if i % 2 else AnsweredVia.PAGE,
            now=sent + timedelta(minutes=5 + i),
        )
    callouts.close_finished(now=now)
